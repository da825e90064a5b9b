// Evaluation jobs through the unmodified @aws-sdk/client-bedrock against a real server: CreateEvaluationJob,
// GetEvaluationJob, ListEvaluationJobs and StopEvaluationJob with their errors, a job end to end on the built-in
// models (results in S3 that agree with the summary, a self-contained HTML report), and Strata's
// GetEvaluationJobResults.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BedrockClient,
  CreateEvaluationJobCommand,
  type CreateEvaluationJobCommandInput,
  GetEvaluationJobCommand,
  ListEvaluationJobsCommand,
  paginateListEvaluationJobs,
  StopEvaluationJobCommand,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import { rougeL } from "../../src/evaluation/metrics/rouge-l.js";
import { tokenF1 } from "../../src/evaluation/metrics/token-f1.js";
import type { EvaluationDocument } from "../../src/evaluation/run/evaluation-results.js";
import type {
  GetEvaluationJobResultsResponse,
  InvocationSummary,
} from "../../src/protocol/generated/strata-types.js";
import { putText } from "../support/customization-test-data.js";
import {
  constitutionQuestions,
  evaluationJsonl,
  evaluationRoleArn,
  waitForEvaluationJob,
} from "../support/evaluation-test-data.js";
import { runCli } from "../support/run-cli.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let bedrock: BedrockClient;
let s3: S3Client;
let api: ApiClient;
let datasetUri: string;

const shortAnswers = JSON.stringify({ inferenceConfig: { maxTokens: 16 } });

function request(overrides: Partial<CreateEvaluationJobCommandInput> = {}): CreateEvaluationJobCommandInput {
  return {
    jobName: `eval-${Math.random().toString(36).slice(2, 10)}`,
    roleArn: evaluationRoleArn,
    evaluationConfig: {
      automated: {
        datasetMetricConfigs: [
          {
            taskType: "QuestionAndAnswer",
            dataset: { name: "constitution", datasetLocation: { s3Uri: datasetUri } },
            metricNames: ["Builtin.Accuracy", "Strata.RougeL", "Strata.Bleu", "Strata.Perplexity"],
          },
        ],
      },
    },
    inferenceConfig: {
      models: [
        { bedrockModel: { modelIdentifier: "strata.tiny-base-v1", inferenceParams: shortAnswers } },
        { bedrockModel: { modelIdentifier: "strata.tiny-chat-v1", inferenceParams: shortAnswers } },
      ],
    },
    outputDataConfig: { s3Uri: "s3://strata/evaluation-output/" },
    ...overrides,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

async function text(uri: string): Promise<string> {
  const key = uri.slice("s3://strata/".length);
  const object = await s3.send(new GetObjectCommand({ Bucket: "strata", Key: key }));
  return (await object.Body?.transformToString()) ?? "";
}

function results(jobIdentifier: string): Promise<GetEvaluationJobResultsResponse> {
  return api.call<GetEvaluationJobResultsResponse>({
    method: "GET",
    path: `/strata/evaluation-jobs/${pathLabel(jobIdentifier)}/results`,
  });
}

beforeAll(async () => {
  strata = await startTestStrata();
  bedrock = new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
  s3 = new S3Client({
    endpoint: strata.s3Url,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: strata.credentials,
  });
  api = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
  datasetUri = await putText(s3, "evaluation/constitution.jsonl", evaluationJsonl(constitutionQuestions));
});

afterAll(async () => {
  bedrock?.destroy();
  s3?.destroy();
  await strata?.stop();
});

describe("an automated evaluation of two models, end to end", () => {
  let jobArn: string;
  let input: CreateEvaluationJobCommandInput;

  it("is accepted (202) with an evaluation-job ARN, and a retry with the same token is the same job", async () => {
    input = request({ clientRequestToken: "evaluation-token-1", jobDescription: "base against chat" });
    const created = await bedrock.send(new CreateEvaluationJobCommand(input));
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created.jobArn).toMatch(/^arn:aws:bedrock:us-east-1:000000000000:evaluation-job\/[a-z0-9]{12}$/);
    jobArn = created.jobArn ?? "";
    const again = await bedrock.send(new CreateEvaluationJobCommand(input));
    expect(again.jobArn).toBe(jobArn);
  });

  it("runs to Completed, and GetEvaluationJob returns Bedrock's shape with the request echoed", async () => {
    const job = await waitForEvaluationJob(bedrock, jobArn);
    expect(job).toMatchObject({
      jobArn,
      jobName: input.jobName,
      jobDescription: "base against chat",
      status: "Completed",
      jobType: "Automated",
      applicationType: "ModelEvaluation",
      roleArn: evaluationRoleArn,
      evaluationConfig: input.evaluationConfig,
      inferenceConfig: input.inferenceConfig,
      outputDataConfig: input.outputDataConfig,
    });
    expect(job.creationTime).toBeInstanceOf(Date);
    expect(job.lastModifiedTime?.getTime()).toBeGreaterThanOrEqual(job.creationTime?.getTime() ?? 0);
    expect(job.failureMessages).toBeUndefined();
  });

  it("reports each model's metrics, overall and per category, and compares them", async () => {
    const outcome = await results(jobArn);
    expect(outcome).toMatchObject({
      jobArn,
      status: "Completed",
      progress: { examplesDone: 10, examplesTotal: 10 },
    });
    const [dataset] = outcome.datasets;
    expect(dataset).toMatchObject({
      datasetName: "constitution",
      taskType: "QuestionAndAnswer",
      examples: 5,
    });
    expect(dataset?.models.map((model) => model.modelIdentifier)).toEqual([
      "strata.tiny-base-v1",
      "strata.tiny-chat-v1",
    ]);
    for (const model of dataset?.models ?? []) {
      expect(Object.keys(model.metrics).sort()).toEqual(
        [
          "bleu",
          "costUsd",
          "exactMatch",
          "latencyP50Ms",
          "latencyP99Ms",
          "loss",
          "perplexity",
          "rougeL",
          "tokenF1",
        ].sort(),
      );
      expect(model.metrics.perplexity).toBeCloseTo(Math.exp(model.metrics.loss ?? 0), 6);
      expect(model.metrics.latencyP99Ms).toBeGreaterThanOrEqual(model.metrics.latencyP50Ms ?? 0);
      expect(model.categories.map((category) => [category.category, category.examples])).toEqual([
        ["powers", 3],
        ["sessions", 2],
      ]);
    }
    const comparison = dataset?.comparison;
    expect(comparison).toMatchObject({
      baseModelIdentifier: "strata.tiny-base-v1",
      candidateModelIdentifier: "strata.tiny-chat-v1",
      primaryMetric: "tokenF1",
    });
    const perplexity = comparison?.metrics.find((metric) => metric.metric === "perplexity");
    const base = dataset?.models[0]?.metrics.perplexity ?? 0;
    const chat = dataset?.models[1]?.metrics.perplexity ?? 0;
    expect(perplexity).toMatchObject({ base, candidate: chat, delta: chat - base, higherIsBetter: false });
    expect(perplexity?.verdict).toBe(chat < base ? "better" : "worse");
  });

  it("wrote results.json whose per-example scores recompute to the summary, and a self-contained report", async () => {
    const outcome = await results(jobArn);
    const jobId = jobArn.split("/").at(-1);
    expect(outcome.resultsS3Uri).toBe(`s3://strata/evaluation-output/${input.jobName}/${jobId}/results.json`);
    const document = JSON.parse(await text(outcome.resultsS3Uri ?? "")) as EvaluationDocument;
    const examples = document.examples[0]?.examples ?? [];
    expect(examples.map((example) => example.reference)).toEqual(
      constitutionQuestions.map((question) => question.referenceResponse),
    );
    for (const [index, model] of (outcome.datasets[0]?.models ?? []).entries()) {
      const answers = examples.map((example) => example.answers[index]);
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      // Recomputed here from the answers the models gave, with the metric functions, not read back.
      expect(model.metrics.tokenF1).toBeCloseTo(
        mean(examples.map((example, i) => tokenF1(answers[i]?.response ?? "", example.reference ?? ""))),
        12,
      );
      expect(model.metrics.rougeL).toBeCloseTo(
        mean(
          examples.map((example, i) => rougeL(answers[i]?.response ?? "", example.reference ?? "").fmeasure),
        ),
        12,
      );
      const likelihoods = answers.map((answer) => answer?.likelihood);
      const tokens = likelihoods.reduce((sum, likelihood) => sum + (likelihood?.tokenCount ?? 0), 0);
      const nll = likelihoods.reduce((sum, likelihood) => sum + (likelihood?.negativeLogLikelihood ?? 0), 0);
      expect(tokens).toBeGreaterThan(constitutionQuestions.length);
      expect(model.metrics.loss).toBeCloseTo(nll / tokens, 12);
    }
    const html = await text(outcome.reportS3Uri ?? "");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<svg ");
    expect(html).toContain("strata.tiny-chat-v1");
    expect(html).not.toMatch(/\b(src|href)=/);
  });

  it("refuses a second job of the same name, and the same token with a different request", async () => {
    const name = await errorOf(
      bedrock.send(new CreateEvaluationJobCommand({ ...request(), jobName: input.jobName })),
    );
    expect(name).toEqual({
      name: "ConflictException",
      message: `An evaluation job named ${input.jobName} already exists.`,
    });
    const token = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand({ ...request(), clientRequestToken: "evaluation-token-1" }),
      ),
    );
    expect(token.name).toBe("ConflictException");
    expect(token.message).toMatch(
      /clientRequestToken evaluation-token-1 was already used with a different request/,
    );
  });
});

describe("a judge model", () => {
  it("grades every answer on the rubric stored with the job, and reports the scores it could read", async () => {
    const { jobArn = "" } = await bedrock.send(
      new CreateEvaluationJobCommand(
        request({
          evaluationConfig: {
            automated: {
              datasetMetricConfigs: [
                {
                  taskType: "Generation",
                  dataset: { name: "constitution", datasetLocation: { s3Uri: datasetUri } },
                  metricNames: ["Builtin.Correctness", "Strata.RougeL"],
                },
              ],
              evaluatorModelConfig: { bedrockEvaluatorModels: [{ modelIdentifier: "strata.tiny-chat-v1" }] },
            },
          },
          inferenceConfig: {
            models: [
              { bedrockModel: { modelIdentifier: "strata.tiny-chat-v1", inferenceParams: shortAnswers } },
            ],
          },
        }),
      ),
    );
    const job = await waitForEvaluationJob(bedrock, jobArn);
    expect(job.status).toBe("Completed");
    const [summary] =
      (await bedrock.send(new ListEvaluationJobsCommand({ nameContains: job.jobName }))).jobSummaries ?? [];
    expect(summary?.evaluatorModelIdentifiers).toEqual(["strata.tiny-chat-v1"]);
    const outcome = await results(jobArn);
    const document = JSON.parse(await text(outcome.resultsS3Uri ?? "")) as EvaluationDocument;
    const verdicts = (document.examples[0]?.examples ?? []).map(
      (example) => example.answers[0]?.judge?.["Builtin.Correctness"],
    );
    expect(document.judge).toEqual({
      modelIdentifier: "strata.tiny-chat-v1",
      rubrics: { "Builtin.Correctness": expect.stringMatching(/^Is the answer correct\?/) },
    });
    expect(verdicts).toHaveLength(constitutionQuestions.length);
    for (const verdict of verdicts) expect(typeof verdict?.reply).toBe("string");
    // A reply without a 1–5 score is recorded unscored, never guessed: the metric averages the scored ones.
    const scores = verdicts.flatMap((verdict) =>
      verdict?.score === undefined ? [] : [(verdict.score - 1) / 4],
    );
    const metric = outcome.datasets[0]?.models[0]?.metrics["judge:Builtin.Correctness"];
    if (scores.length === 0) expect(metric).toBeUndefined();
    else expect(metric).toBeCloseTo(scores.reduce((sum, score) => sum + score, 0) / scores.length, 12);

    // Every answer and every verdict is an invocation of the usage ledger, with the tokens the results show.
    const jobId = jobArn.split("/").at(-1);
    const ledger = await api.call<{ invocations: InvocationSummary[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
      query: { from: (job.creationTime ?? new Date(0)).toISOString(), maxResults: "1000" },
    });
    const rows = ledger.invocations.filter((row) => row.callerKeyId === `evaluation-job/${jobId}`);
    const answers = rows.filter((row) => row.operation === "EvaluationJob");
    expect(answers).toHaveLength(constitutionQuestions.length);
    expect(rows.filter((row) => row.operation === "EvaluationJob.judge")).toHaveLength(
      constitutionQuestions.length,
    );
    for (const row of rows) expect(row).toMatchObject({ modelId: "strata.tiny-chat-v1", status: "success" });
    const tokens = (rowsOf: { inputTokens?: number; outputTokens?: number }[]) =>
      rowsOf.map((row) => `${row.inputTokens}/${row.outputTokens}`).sort();
    expect(tokens(answers)).toEqual(
      tokens((document.examples[0]?.examples ?? []).map((example) => example.answers[0] ?? {})),
    );
  });
});

describe("CreateEvaluationJob refuses what it cannot run", () => {
  const metricConfig = (overrides: object) => ({
    evaluationConfig: {
      automated: {
        datasetMetricConfigs: [
          {
            taskType: "QuestionAndAnswer" as const,
            dataset: { name: "constitution", datasetLocation: { s3Uri: datasetUri } },
            metricNames: ["Builtin.Accuracy"],
            ...overrides,
          },
        ],
      },
    },
  });

  it("a dataset line that is not Bedrock's format, naming file, line and field", async () => {
    const bad = await putText(
      s3,
      "evaluation/bad.jsonl",
      evaluationJsonl([constitutionQuestions[0] as object, { prompt: "Who?", referenceResponse: 7 }]).concat(
        "{oops\n",
      ),
    );
    const error = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(
          request(metricConfig({ dataset: { name: "bad", datasetLocation: { s3Uri: bad } } })),
        ),
      ),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe(
      `The evaluation dataset ${bad} is not usable: line 2, field "referenceResponse": "referenceResponse" must be a non-empty string, but it is a number; line 3: invalid JSON: ${(() => {
        try {
          JSON.parse("{oops");
        } catch (parseError) {
          return (parseError as Error).message;
        }
        return "";
      })()}.`,
    );
  });

  it("a missing dataset object, a built-in dataset and a malformed S3 URI", async () => {
    const missing = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(
          request(
            metricConfig({
              dataset: { name: "x", datasetLocation: { s3Uri: "s3://strata/nothing-here.jsonl" } },
            }),
          ),
        ),
      ),
    );
    expect(missing).toEqual({
      name: "ValidationException",
      message:
        "evaluationConfig.automated.datasetMetricConfigs[0].dataset.datasetLocation.s3Uri: there is no object at s3://strata/nothing-here.jsonl.",
    });
    const builtin = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(request(metricConfig({ dataset: { name: "Builtin.BoolQ" } }))),
      ),
    );
    expect(builtin.message).toMatch(
      /Builtin\.BoolQ names no datasetLocation\.s3Uri; Strata has no built-in prompt datasets/,
    );
    const output = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(request({ outputDataConfig: { s3Uri: "s3://strata/../out/" } })),
      ),
    );
    expect(output.name).toBe("ValidationException");
    expect(output.message).toMatch(
      /^outputDataConfig\.s3Uri s3:\/\/strata\/\.\.\/out\/.* is not a usable S3 URI/,
    );
  });

  it("metrics Strata cannot compute honestly, or does not know", async () => {
    const toxicity = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(request(metricConfig({ metricNames: ["Builtin.Toxicity"] }))),
      ),
    );
    expect(toxicity).toEqual({
      name: "ValidationException",
      message:
        "evaluationConfig.automated.datasetMetricConfigs[0].metricNames: Builtin.Toxicity needs a toxicity classifier, which Strata does not have.",
    });
    const unknown = await errorOf(
      bedrock.send(new CreateEvaluationJobCommand(request(metricConfig({ metricNames: ["Strata.Vibes"] })))),
    );
    expect(unknown.message).toMatch(/Strata\.Vibes is not a metric Strata knows; use Builtin\.Accuracy, /);
    const judge = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(request(metricConfig({ metricNames: ["Builtin.Correctness"] }))),
      ),
    );
    expect(judge.message).toMatch(
      /Builtin\.Correctness are scored by a judge model: give one in evaluationConfig/,
    );
  });

  it("models it does not run: unknown, Bedrock-hosted, a custom model by ARN; bad inference parameters", async () => {
    const models = (modelIdentifier: string, inferenceParams?: string) => ({
      inferenceConfig: {
        models: [{ bedrockModel: { modelIdentifier, ...(inferenceParams ? { inferenceParams } : {}) } }],
      },
    });
    const unknown = await errorOf(
      bedrock.send(new CreateEvaluationJobCommand(request(models("local.no-such-model")))),
    );
    expect(unknown).toEqual({
      name: "ValidationException",
      message:
        "inferenceConfig.models[0].bedrockModel.modelIdentifier local.no-such-model: The provided model identifier is invalid.",
    });
    const hosted = await errorOf(
      bedrock.send(new CreateEvaluationJobCommand(request(models("amazon.nova-micro-v1:0")))),
    );
    expect(hosted.name).toBe("AccessDeniedException");
    expect(hosted.message).toMatch(
      /^inferenceConfig\.models\[0\]\.bedrockModel\.modelIdentifier amazon\.nova-micro-v1:0: /,
    );
    // As in Bedrock, a custom model is evaluated through its provisioned throughput: its own ARN is no identifier.
    const custom = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(
          request(
            models("arn:aws:bedrock:us-east-1:000000000000:custom-model/strata.tiny-chat-v1/abcdefghijkl"),
          ),
        ),
      ),
    );
    expect(custom.name).toBe("ValidationException");
    const params = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(
          request(models("strata.tiny-chat-v1", '{"inferenceConfig":{"maxTokens":0}}')),
        ),
      ),
    );
    expect(params.message).toBe(
      "inferenceConfig.models[0].bedrockModel.inferenceParams.inferenceConfig.maxTokens must be a whole number in 1–8192, got 0.",
    );
  });

  it("human and knowledge-base evaluations", async () => {
    const human = await errorOf(
      bedrock.send(
        new CreateEvaluationJobCommand(
          request({
            evaluationConfig: {
              human: {
                datasetMetricConfigs: [
                  {
                    taskType: "Generation",
                    dataset: { name: "d", datasetLocation: { s3Uri: datasetUri } },
                    metricNames: ["Style"],
                  },
                ],
              },
            },
          }),
        ),
      ),
    );
    expect(human.message).toMatch(
      /^evaluationConfig\.human needs a human work team; Strata runs automated evaluations only/,
    );
    const rag = await errorOf(
      bedrock.send(new CreateEvaluationJobCommand(request({ applicationType: "RagEvaluation" }))),
    );
    expect(rag.message).toMatch(/knowledge-base \(RAG\) evaluation is not available/);
  });
});

describe("GetEvaluationJob, ListEvaluationJobs, StopEvaluationJob", () => {
  it("Get takes an ARN: an unknown one is ResourceNotFoundException, a name is ValidationException", async () => {
    const unknown = await errorOf(
      bedrock.send(
        new GetEvaluationJobCommand({
          jobIdentifier: "arn:aws:bedrock:us-east-1:000000000000:evaluation-job/zzzzzzzzzzzz",
        }),
      ),
    );
    expect(unknown.name).toBe("ResourceNotFoundException");
    const name = await errorOf(bedrock.send(new GetEvaluationJobCommand({ jobIdentifier: "by-name" })));
    expect(name.name).toBe("ValidationException");
  });

  it("stops a running job: Stopping → Stopped, no results; stopping it again is a ConflictException", async () => {
    const many = await putText(
      s3,
      "evaluation/many.jsonl",
      evaluationJsonl(
        Array.from({ length: 200 }, (_, i) => ({ ...constitutionQuestions[i % 5], category: undefined })),
      ),
    );
    const long = JSON.stringify({ inferenceConfig: { maxTokens: 200 } });
    const { jobArn = "" } = await bedrock.send(
      new CreateEvaluationJobCommand(
        request({
          evaluationConfig: {
            automated: {
              datasetMetricConfigs: [
                {
                  taskType: "Generation",
                  dataset: { name: "many", datasetLocation: { s3Uri: many } },
                  metricNames: ["Builtin.Accuracy"],
                },
              ],
            },
          },
          inferenceConfig: {
            models: [{ bedrockModel: { modelIdentifier: "strata.tiny-base-v1", inferenceParams: long } }],
          },
        }),
      ),
    );
    await bedrock.send(new StopEvaluationJobCommand({ jobIdentifier: jobArn }));
    const stopping = await bedrock.send(new GetEvaluationJobCommand({ jobIdentifier: jobArn }));
    expect(["Stopping", "Stopped"]).toContain(stopping.status);
    const stopped = await waitForEvaluationJob(bedrock, jobArn);
    expect(stopped.status).toBe("Stopped");
    const outcome = await results(jobArn);
    expect([outcome.datasets, outcome.resultsS3Uri]).toEqual([[], undefined]);
    const again = await errorOf(bedrock.send(new StopEvaluationJobCommand({ jobIdentifier: jobArn })));
    expect(again).toEqual({
      name: "ConflictException",
      message: expect.stringMatching(/ is Stopped; only an InProgress job can be stopped\.$/),
    });
  });

  it("lists with Bedrock's filters, sort order and nextToken pagination", async () => {
    const prefix = `listed-${Date.now().toString(36)}`;
    const oneModel = {
      inferenceConfig: {
        models: [{ bedrockModel: { modelIdentifier: "strata.tiny-chat-v1", inferenceParams: shortAnswers } }],
      },
    };
    for (const suffix of ["a", "b", "c"])
      await bedrock.send(
        new CreateEvaluationJobCommand(request({ jobName: `${prefix}-${suffix}`, ...oneModel })),
      );
    const ascending = await bedrock.send(
      new ListEvaluationJobsCommand({ nameContains: prefix, sortBy: "CreationTime", sortOrder: "Ascending" }),
    );
    expect(ascending.jobSummaries?.map((job) => job.jobName)).toEqual([
      `${prefix}-a`,
      `${prefix}-b`,
      `${prefix}-c`,
    ]);
    expect(ascending.jobSummaries?.[0]).toMatchObject({
      jobType: "Automated",
      evaluationTaskTypes: ["QuestionAndAnswer"],
      modelIdentifiers: ["strata.tiny-chat-v1"],
      inferenceConfigSummary: { modelConfigSummary: { bedrockModelIdentifiers: ["strata.tiny-chat-v1"] } },
      applicationType: "ModelEvaluation",
    });
    const descending = await bedrock.send(new ListEvaluationJobsCommand({ nameContains: prefix }));
    expect(descending.jobSummaries?.[0]?.jobName).toBe(`${prefix}-c`);
    const pages: string[][] = [];
    for await (const page of paginateListEvaluationJobs(
      { client: bedrock, pageSize: 1 },
      { nameContains: prefix },
    ))
      pages.push((page.jobSummaries ?? []).map((job) => job.jobName ?? ""));
    expect(pages).toEqual([[`${prefix}-c`], [`${prefix}-b`], [`${prefix}-a`]]);
    const stopped = await bedrock.send(new ListEvaluationJobsCommand({ statusEquals: "Stopped" }));
    expect(stopped.jobSummaries?.length).toBe(1);
    const rag = await bedrock.send(new ListEvaluationJobsCommand({ applicationTypeEquals: "RagEvaluation" }));
    expect(rag.jobSummaries).toEqual([]);
    for (const suffix of ["a", "b", "c"]) {
      const job = ascending.jobSummaries?.find((summary) => summary.jobName === `${prefix}-${suffix}`);
      await waitForEvaluationJob(bedrock, job?.jobArn ?? "");
    }
  });
});

describe("strata evaluations", () => {
  it("create uploads a local dataset, waits and prints the results; get shows Bedrock's fields and progress", async () => {
    const file = join(strata.dataDirectory, "questions.jsonl");
    writeFileSync(file, evaluationJsonl(constitutionQuestions.slice(0, 2)));
    const common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
    const created = await runCli([
      "evaluations",
      "create",
      "--model",
      "strata.tiny-chat-v1",
      "--dataset",
      file,
      "--task-type",
      "qa",
      "--max-tokens",
      "8",
      "--stop",
      "\\n",
      "--name",
      "from-the-cli",
      "--wait",
      ...common,
    ]);
    expect(created.stderr).toBe("");
    expect(created.stdout).toMatch(
      /^Created from-the-cli \(arn:aws:bedrock:us-east-1:000000000000:evaluation-job\/[a-z0-9]{12}\)$/m,
    );
    expect(created.stdout).toMatch(
      /^from-the-cli \(QuestionAndAnswer, 2 examples, s3:\/\/strata\/datasets\/.*questions\.jsonl\)$/m,
    );
    expect(created.stdout).toMatch(/^tokenF1 \* +[\d.]+$/m);
    const shown = await runCli(["evaluations", "get", "from-the-cli", ...common]);
    expect(shown.stdout).toMatch(/^status +Completed$/m);
    expect(shown.stdout).toMatch(/^progress +2\/2 examples$/m);
    const line = shown.stdout.split("\n").find((entry) => entry.startsWith("inferenceConfig")) ?? "";
    const shownConfig = JSON.parse(line.slice("inferenceConfig".length)) as {
      models: { bedrockModel: { inferenceParams: string } }[];
    };
    // `--stop '\n'` (two characters in a shell) becomes a newline.
    expect(JSON.parse(shownConfig.models[0]?.bedrockModel.inferenceParams ?? "")).toEqual({
      inferenceConfig: { maxTokens: 8, stopSequences: ["\n"] },
    });
  });
});
