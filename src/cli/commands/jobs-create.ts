// `strata jobs create --type fine-tuning|continued-pre-training --base-model ID --training-data FILE|s3://…`:
// CreateModelCustomizationJob through the Bedrock API (local files are uploaded first). `--dry-run` asks the
// server's estimate instead (records, tokens, steps, time, memory, cost) and creates nothing; `--follow`
// then shows the job's progress until it ends, like `strata jobs logs --follow`.
import type { EstimateModelCustomizationJobResponse } from "../../protocol/generated/strata-types.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { datasetLocation } from "./data-dataset-location.js";
import { createTransferLearningJob } from "./jobs-create-transfer-learning.js";
import { followJob } from "./jobs-logs.js";

const usage = `usage: strata jobs create --type fine-tuning|continued-pre-training --base-model ID
         --training-data FILE|s3://… [--validation-data FILE|s3://…] [--name JOB] [--model-name NAME]
         [--output s3://…] [--hyper-parameter KEY=VALUE …] [--dry-run] [--follow] [--json]
       strata jobs create --method transfer-learning --base-model ID --training-data FILE|s3://…
         [--validation-data …] [--test-data …] [--name JOB] [--model-name NAME] [--output s3://…]
         [--hyper-parameter KEY=VALUE …] [--follow] [--json]
       (--method is the same flag as --type)`;

const customizationTypes: Record<string, string> = {
  "fine-tuning": "FINE_TUNING",
  "continued-pre-training": "CONTINUED_PRE_TRAINING",
};
const cliRoleArn = "arn:aws:iam::000000000000:role/strata-cli-customization";

function hyperParametersFrom(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new CliError(`--hyper-parameter ${pair} must be KEY=VALUE, e.g. epochCount=2`, 2);
    result[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return result;
}

function formatEstimate(estimate: EstimateModelCustomizationJobResponse): string {
  const minutes = estimate.estimatedSeconds / 60;
  const duration = minutes < 1 ? `${estimate.estimatedSeconds.toFixed(0)} s` : `${minutes.toFixed(1)} min`;
  const rows: [string, string][] = [
    ["base model", `${estimate.baseModelId} (${estimate.customizationType}, ${estimate.format} records)`],
    ["records", `${estimate.records} training, ${estimate.validationRecords} validation`],
    [
      "tokens",
      `${estimate.tokens} in ${estimate.rows} packed rows; ${estimate.trainedTokensPerEpoch} trained per epoch`,
    ],
    [
      "trained tokens",
      `${estimate.trainedTokens} (${estimate.trainedTokensPerEpoch} × ${estimate.epochs} epochs)`,
    ],
    ["steps", `${estimate.totalSteps} (${estimate.stepsPerEpoch} per epoch)`],
    [
      "wall time",
      `about ${duration} at ${estimate.throughput.tokensPerSecond.toFixed(0)} tokens/s (${estimate.throughput.source} on this host)`,
    ],
    [
      "peak memory",
      `${estimate.memory.description}${estimate.memory.fits ? "" : " — MORE than is free now"}`,
    ],
    [
      "local cost",
      `$${estimate.cost.localCost.toFixed(4)} at $${estimate.cost.localPricePer1kTokens} per 1K trained tokens`,
    ],
    ...estimate.cost.bedrockEquivalents.map((price): [string, string] => [
      `Bedrock ${price.modelName}`,
      `$${price.cost.toFixed(4)} at $${price.pricePer1kTokens} per 1K tokens (${price.asOf ?? "undated"})`,
    ]),
    [
      "hyperparameters",
      Object.entries(estimate.hyperParameters)
        .map(([key, value]) => `${key}=${value}`)
        .join(" "),
    ],
  ];
  return rows.map(([key, value]) => `${key.padEnd(26)} ${value}`).join("\n");
}

export async function createJobCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    type: { type: "string" },
    method: { type: "string" },
    "base-model": { type: "string" },
    "training-data": { type: "string" },
    "validation-data": { type: "string" },
    "test-data": { type: "string" },
    name: { type: "string" },
    "model-name": { type: "string" },
    output: { type: "string" },
    "hyper-parameter": { type: "string", multiple: true },
    "dry-run": { type: "boolean" },
    follow: { type: "boolean" },
  });
  const method = values.method ?? values.type ?? "";
  // Transfer learning is Strata's own job type (CreateTransferLearningJob): labeled data, a frozen base, a head.
  if (method === "transfer-learning" && values["base-model"] && values["training-data"] && !values["dry-run"])
    return createTransferLearningJob(
      { ...values, "base-model": values["base-model"], "training-data": values["training-data"] },
      hyperParametersFrom(values["hyper-parameter"] ?? []),
      { environment, output },
    );
  const customizationType = customizationTypes[method];
  if (!customizationType || !values["base-model"] || !values["training-data"] || values["test-data"])
    throw new CliError(usage, 2);
  const { "hyper-parameter": hyperParameterPairs, ...flags } = values;
  const config = configFromFlags(flags, environment);
  const api = apiClientFor(config, values.endpoint);
  const training = await datasetLocation(config, api, values["training-data"]);
  const validation = values["validation-data"]
    ? await datasetLocation(config, api, values["validation-data"])
    : undefined;
  const hyperParameters = hyperParametersFrom(hyperParameterPairs ?? []);

  if (values["dry-run"]) {
    const estimate = await api.call<EstimateModelCustomizationJobResponse>({
      method: "POST",
      path: "/strata/model-customization-jobs/estimate",
      body: {
        baseModelIdentifier: values["base-model"],
        customizationType,
        trainingDataS3Uri: training.s3Uri,
        ...(validation ? { validationDataS3Uri: validation.s3Uri } : {}),
        hyperParameters,
      },
    });
    output.write(values.json ? JSON.stringify(estimate, null, 2) : formatEstimate(estimate));
    return;
  }

  const jobName = values.name ?? `${values.type}-${Date.now()}`;
  const { jobArn } = await api.call<{ jobArn: string }>({
    method: "POST",
    path: "/model-customization-jobs",
    body: {
      jobName,
      customModelName: values["model-name"] ?? jobName.replace(/[^0-9a-zA-Z_-]/g, "-"),
      roleArn: cliRoleArn,
      baseModelIdentifier: values["base-model"],
      customizationType,
      trainingDataConfig: { s3Uri: training.s3Uri },
      ...(validation ? { validationDataConfig: { validators: [{ s3Uri: validation.s3Uri }] } } : {}),
      outputDataConfig: { s3Uri: values.output ?? "s3://strata/customization-output/" },
      hyperParameters,
    },
  });
  if (values.json && !values.follow) output.write(JSON.stringify({ jobArn, jobName }, null, 2));
  else output.write(`Created ${jobName} (${jobArn})`);
  if (values.follow) await followJob(api, jobArn, output, values.json === true);
}
