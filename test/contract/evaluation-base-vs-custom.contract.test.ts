// Base against custom, end to end on a built-in model: strata.tiny-base-v1 is fine-tuned to answer a sentence
// with one line of JSON naming its book ({"source":"moby-dick"} or {"source":"state-of-the-union"}; the task of
// examples/answer-in-a-fixed-format.ts, its quick form). The job's base-vs-custom gate measures the custom model
// against its base on the validation data before registering it (GetCustomModel, the lineage, `strata
// custom-models get`). Then, as in Bedrock, the custom model is evaluated through a provisioned throughput in an
// evaluation job next to its base, on held-out sentences neither saw, as a Classification task: the custom model
// must measure better, and the test says by how much.
import {
  BedrockClient,
  CreateEvaluationJobCommand,
  CreateModelCustomizationJobCommand,
  CreateProvisionedModelThroughputCommand,
  GetCustomModelCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type {
  GetCustomModelLineageResponse,
  GetEvaluationJobResultsResponse,
} from "../../src/protocol/generated/strata-types.js";
import { putText, waitForCustomizationJob } from "../support/customization-test-data.js";
import { evaluationJsonl, evaluationRoleArn, waitForEvaluationJob } from "../support/evaluation-test-data.js";
import { runCli } from "../support/run-cli.js";
import { answerFor, promptFor, sentences } from "../support/sentence-source-data.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let bedrock: BedrockClient;
let s3: S3Client;
let api: ApiClient;
let customModelArn: string;

const training = sentences(0, 96);
const validation = sentences(48, 8);
const heldOut = sentences(52, 16);
const record = ({ sentence, source }: (typeof training)[number]) => ({
  prompt: promptFor(sentence),
  completion: ` ${answerFor(source)}`,
});

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
});

afterAll(async () => {
  bedrock?.destroy();
  s3?.destroy();
  await strata?.stop();
});

describe("the base-vs-custom gate of a customization job", () => {
  it("evaluates the custom model against its base on the validation data before registering it", async () => {
    const { jobArn = "" } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        jobName: "sentence-source",
        customModelName: "sentence-source",
        roleArn: "arn:aws:iam::000000000000:role/strata-customization",
        baseModelIdentifier: "strata.tiny-base-v1",
        customizationType: "FINE_TUNING",
        trainingDataConfig: {
          s3Uri: await putText(s3, "source/train.jsonl", evaluationJsonl(training.map(record))),
        },
        validationDataConfig: {
          validators: [
            { s3Uri: await putText(s3, "source/validation.jsonl", evaluationJsonl(validation.map(record))) },
          ],
        },
        outputDataConfig: { s3Uri: "s3://strata/source/output/" },
        // examples/answer-in-a-fixed-format.ts --quick: 18 steps of full fine-tuning (a merged custom model).
        hyperParameters: {
          trainingMethod: "full",
          epochCount: "2",
          batchSize: "4",
          learningRate: "0.001",
          learningRateWarmupSteps: "2",
          maxSequenceLength: "128",
        },
      }),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn, 240_000);
    expect([job.status, job.failureMessage]).toEqual(["Completed", undefined]);
    customModelArn = job.outputModelArn ?? "";

    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/${pathLabel(customModelArn)}/lineage`,
    });
    const evaluation = lineage.evaluation;
    const metric = (name: string) => evaluation?.metrics.find((entry) => entry.metric === name);
    console.log(
      `gate on ${evaluation?.examplesEvaluated} validation records (${evaluation?.seconds.toFixed(1)} s): ${evaluation?.metrics
        .map((entry) => `${entry.metric} ${entry.base.toPrecision(4)} → ${entry.candidate.toPrecision(4)}`)
        .join(", ")}`,
    );
    expect(evaluation).toMatchObject({
      status: "Completed",
      baseModelId: "strata.tiny-base-v1",
      records: 8,
      examplesEvaluated: 8,
      primaryMetric: "perplexity",
      verdict: "better",
    });
    expect(metric("perplexity")?.candidate).toBeLessThan((metric("perplexity")?.base ?? 0) / 10);
    expect(metric("rougeL")).toMatchObject({ verdict: "better" });
    expect(metric("tokenF1")).toMatchObject({ verdict: "better" });

    // The engine's loss of the base on the validation data is the trainer's own base-model validation loss
    // (Strata's step −1 row of validation_metrics.csv): the same tokens, scored by llama.cpp and by the trainer.
    const jobId = jobArn.split("/").at(-1);
    const csv = await s3.send(
      new GetObjectCommand({
        Bucket: "strata",
        Key: `source/output/model-customization-job-${jobId}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      }),
    );
    const baseRow = ((await csv.Body?.transformToString()) ?? "").split("\n")[1]?.split(",") ?? [];
    expect(baseRow[0]).toBe("-1");
    console.log(`base loss on the validation data: engine ${metric("loss")?.base}, trainer ${baseRow[2]}`);
    expect(Math.abs((metric("loss")?.base ?? 0) - Number(baseRow[2]))).toBeLessThan(
      0.05 * Number(baseRow[2]),
    );

    // Bedrock's GetCustomModel carries it as Strata's addition; the SDK ignores the member it does not model.
    const sdk = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: customModelArn }));
    expect(sdk.modelArn).toBe(customModelArn);
    const raw = await api.call<{ strataEvaluation?: unknown }>({
      method: "GET",
      path: `/custom-models/${pathLabel(customModelArn)}`,
    });
    expect(raw.strataEvaluation).toEqual({ ...evaluation, evaluatedAt: expect.any(String) });
    const report = await s3.send(
      new GetObjectCommand({
        Bucket: "strata",
        Key: evaluation?.reportS3Uri?.slice("s3://strata/".length) ?? "",
      }),
    );
    expect(await report.Body?.transformToString()).toContain("Base vs custom: sentence-source");
  }, 300_000);

  it("shows in `strata custom-models get`", async () => {
    const shown = await runCli([
      "custom-models",
      "get",
      "sentence-source",
      "--data-dir",
      strata.dataDirectory,
      "--endpoint",
      strata.apiUrl,
    ]);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toMatch(/^vs base model +better on perplexity \(8 of 8 validation records, /m);
    expect(shown.stdout).toMatch(/^ {2}perplexity +[\d.]+ → [\d.]+ \(−[\d.]+, better\)$/m);
  });
});

describe("an evaluation job: the base against its custom model through provisioned throughput", () => {
  it("runs both on held-out sentences and measures the improvement", async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "sentence-source-pt",
        modelId: customModelArn,
        modelUnits: 1,
      }),
    );
    const provisionedArn = created.provisionedModelArn ?? "";
    for (let attempt = 0; ; attempt++) {
      const got = await bedrock.send(
        new GetProvisionedModelThroughputCommand({ provisionedModelId: provisionedArn }),
      );
      if (got.status === "InService") break;
      if (got.status === "Failed" || attempt > 600)
        throw new Error(`reservation ${got.status}: ${got.failureMessage}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const records = heldOut.map(({ sentence, source }) => ({
      prompt: promptFor(sentence),
      referenceResponse: answerFor(source),
      category: source,
    }));
    const datasetUri = await putText(s3, "source/held-out.jsonl", evaluationJsonl(records));
    // Raw text prompts, as the records were trained; one line of answer.
    const params = JSON.stringify({
      inferenceConfig: { maxTokens: 24, stopSequences: ["\n"] },
      promptFormat: "text",
    });
    const { jobArn = "" } = await bedrock.send(
      new CreateEvaluationJobCommand({
        jobName: "sentence-source-vs-base",
        roleArn: evaluationRoleArn,
        evaluationConfig: {
          automated: {
            datasetMetricConfigs: [
              {
                taskType: "Classification",
                dataset: { name: "held-out", datasetLocation: { s3Uri: datasetUri } },
                metricNames: ["Builtin.Accuracy", "Strata.ExactMatch", "Strata.RougeL", "Strata.Perplexity"],
              },
            ],
          },
        },
        inferenceConfig: {
          models: [
            { bedrockModel: { modelIdentifier: "strata.tiny-base-v1", inferenceParams: params } },
            { bedrockModel: { modelIdentifier: provisionedArn, inferenceParams: params } },
          ],
        },
        outputDataConfig: { s3Uri: "s3://strata/source/evaluation/" },
      }),
    );
    const job = await waitForEvaluationJob(bedrock, jobArn, 180_000);
    expect([job.status, job.failureMessages]).toEqual(["Completed", undefined]);
    const results = await api.call<GetEvaluationJobResultsResponse>({
      method: "GET",
      path: `/strata/evaluation-jobs/${pathLabel(jobArn)}/results`,
    });
    const [dataset] = results.datasets;
    const [base, custom] = dataset?.models ?? [];
    const show = (metrics: Record<string, number> | undefined) =>
      Object.entries(metrics ?? {})
        .map(([name, value]) => `${name} ${value.toPrecision(4)}`)
        .join(", ");
    console.log(
      `held-out (${heldOut.length} sentences):\n  base   ${show(base?.metrics)}\n  custom ${show(custom?.metrics)}`,
    );
    expect([base?.modelIdentifier, custom?.modelIdentifier]).toEqual(["strata.tiny-base-v1", provisionedArn]);
    expect(dataset?.comparison).toMatchObject({ primaryMetric: "accuracy", verdict: "better" });
    // The base continues the text and never names a source; the custom model answers in the format, and names
    // the right book for more sentences than the base did.
    expect(base?.metrics.accuracy).toBe(0);
    expect(custom?.metrics.accuracy).toBeGreaterThan(0);
    expect(custom?.metrics.rougeL).toBeGreaterThan((base?.metrics.rougeL ?? 0) + 0.3);
    expect(custom?.metrics.perplexity).toBeLessThan((base?.metrics.perplexity ?? 0) / 10);
    const improved =
      dataset?.comparison?.changedExamples.filter((example) => example.change === "improved") ?? [];
    expect(improved.length).toBe(Math.round((custom?.metrics.accuracy ?? 0) * heldOut.length));
    expect(improved[0]?.candidateResponse?.trim()).toBe(improved[0]?.reference);
  }, 240_000);

  it("`strata evaluations list` and `results` show the job and the comparison", async () => {
    const common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
    const listed = await runCli(["evaluations", "list", ...common]);
    expect(listed.stdout).toMatch(
      /sentence-source-vs-base +Completed +Classification +strata\.tiny-base-v1 vs arn:/,
    );
    const shown = await runCli(["evaluations", "results", "sentence-source-vs-base", ...common]);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toMatch(/^accuracy \* +0\.0000 +[\d.]+ +[\d.]+ +better$/m);
    expect(shown.stdout).toMatch(
      /is better than strata\.tiny-base-v1 on accuracy \(\*\); \d+ example\(s\) improved/,
    );
  });
});
