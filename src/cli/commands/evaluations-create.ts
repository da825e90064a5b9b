// `strata evaluations create --model ID [--model ID] --dataset FILE|s3://…`: CreateEvaluationJob through the
// Bedrock API (a local dataset is uploaded first). The first model is the base, the second the candidate (a
// custom model is named by its provisioned-throughput ARN, as in Bedrock). `--wait` follows the job to its end
// and prints the results.
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { datasetLocation } from "./data-dataset-location.js";
import { printResults, waitForEvaluation } from "./evaluations-results.js";

const usage = `usage: strata evaluations create --model ID [--model ID] --dataset FILE|s3://…
         [--name JOB] [--task-type qa|summarization|classification|generation|custom] [--metric NAME …]
         [--judge MODEL] [--max-tokens N] [--temperature X] [--stop TEXT …] [--prompt-format chat|text]
         [--output s3://…]
         [--wait] [--json]`;

const taskTypes: Record<string, string> = {
  qa: "QuestionAndAnswer",
  "question-and-answer": "QuestionAndAnswer",
  summarization: "Summarization",
  classification: "Classification",
  generation: "Generation",
  custom: "Custom",
};
const cliRoleArn = "arn:aws:iam::000000000000:role/strata-cli-evaluation";

function inferenceParams(values: {
  "max-tokens"?: string;
  temperature?: string;
  stop?: string[];
  "prompt-format"?: string;
}) {
  const inferenceConfig: Record<string, number | string[]> = {};
  if (values["max-tokens"] !== undefined) inferenceConfig.maxTokens = Number(values["max-tokens"]);
  if (values.temperature !== undefined) inferenceConfig.temperature = Number(values.temperature);
  // A shell passes "\n" as two characters: the usual stop sequence for one-line answers.
  if (values.stop) inferenceConfig.stopSequences = values.stop.map((stop) => stop.replaceAll("\\n", "\n"));
  const params = {
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
    ...(values["prompt-format"] ? { promptFormat: values["prompt-format"] } : {}),
  };
  return Object.keys(params).length > 0 ? JSON.stringify(params) : undefined;
}

export async function createEvaluationCommand(argv: string[], { environment, output }: CommandEnvironment) {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    model: { type: "string", multiple: true },
    dataset: { type: "string" },
    name: { type: "string" },
    "task-type": { type: "string" },
    metric: { type: "string", multiple: true },
    judge: { type: "string" },
    "max-tokens": { type: "string" },
    temperature: { type: "string" },
    stop: { type: "string", multiple: true },
    "prompt-format": { type: "string" },
    output: { type: "string" },
    wait: { type: "boolean" },
  });
  const models = values.model ?? [];
  if (models.length < 1 || models.length > 2 || !values.dataset) throw new CliError(usage, 2);
  const taskType = taskTypes[values["task-type"] ?? "generation"] ?? values["task-type"];
  const { model: _models, metric: _metrics, stop: _stops, ...flags } = values;
  const config = configFromFlags(flags, environment);
  const api = apiClientFor(config, values.endpoint);
  const dataset = await datasetLocation(config, api, values.dataset);
  const jobName = values.name ?? `evaluation-${Date.now()}`;
  const params = inferenceParams(values);
  const metricNames = values.metric ?? ["Builtin.Accuracy", "Strata.Perplexity"];
  const { jobArn } = await api.call<{ jobArn: string }>({
    method: "POST",
    path: "/evaluation-jobs",
    body: {
      jobName,
      roleArn: cliRoleArn,
      evaluationConfig: {
        automated: {
          datasetMetricConfigs: [
            {
              taskType,
              dataset: { name: jobName.slice(0, 63), datasetLocation: { s3Uri: dataset.s3Uri } },
              metricNames,
            },
          ],
          ...(values.judge
            ? { evaluatorModelConfig: { bedrockEvaluatorModels: [{ modelIdentifier: values.judge }] } }
            : {}),
        },
      },
      inferenceConfig: {
        models: models.map((modelIdentifier) => ({
          bedrockModel: { modelIdentifier, ...(params ? { inferenceParams: params } : {}) },
        })),
      },
      outputDataConfig: { s3Uri: values.output ?? "s3://strata/evaluation-output/" },
    },
  });
  if (!values.wait) {
    output.write(
      values.json ? JSON.stringify({ jobArn, jobName }, null, 2) : `Created ${jobName} (${jobArn})`,
    );
    return;
  }
  if (!values.json) output.write(`Created ${jobName} (${jobArn})`);
  const results = await waitForEvaluation(api, jobArn);
  printResults(results, output, values.json === true);
}
