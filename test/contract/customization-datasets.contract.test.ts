// The corpus of broken datasets (test/fixtures/datasets/): each file gives exactly its expected line-level
// problems through the ValidateDataset extension operation, and CreateModelCustomizationJob refuses it with a
// ValidationException naming the same file and line. Then the method advisor and the dry run on real data.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BedrockClient, CreateModelCustomizationJobCommand } from "@aws-sdk/client-bedrock";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/api-client.js";
import type {
  AdviseCustomizationMethodResponse,
  EstimateModelCustomizationJobResponse,
  ValidateDatasetResponse,
} from "../../src/protocol/generated/strata-types.js";
import {
  continuedPreTrainingJsonl,
  promptCompletionJsonl,
  putText,
} from "../support/customization-test-data.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "datasets");
const expected = JSON.parse(readFileSync(join(fixtures, "expected-problems.json"), "utf8")) as Record<
  string,
  { line: number; field?: string; reason: string }[]
>;
const files = readdirSync(fixtures).filter((name) => name.endsWith(".jsonl"));

let strata: TestStrata;
let bedrock: BedrockClient;
let s3: S3Client;
let api: ApiClient;

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
  await registerTestModel(strata, "local.test-tiny", { tensorType: "F32", contextLength: 256 });
  for (const name of files)
    await s3.send(
      new PutObjectCommand({
        Bucket: "strata",
        Key: `broken/${name}`,
        Body: readFileSync(join(fixtures, name)),
      }),
    );
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  s3?.destroy();
  await strata?.stop();
});

describe("the broken-dataset corpus", () => {
  it("has an expectation for every file", () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)("%s gives its expected problems", async (name) => {
    const uri = `s3://strata/broken/${name}`;
    const { report } = await api.call<ValidateDatasetResponse>({
      method: "POST",
      path: "/strata/datasets/validate",
      body: { s3Uri: uri, baseModelIdentifier: "local.test-tiny" },
    });
    const wanted = expected[name] ?? [];
    expect(report.problems).toHaveLength(wanted.length);
    expect(report.valid).toBe(wanted.length === 0);
    wanted.forEach((problem, index) => {
      const actual = report.problems[index];
      expect(actual?.file).toBe(uri);
      expect(actual?.line).toBe(problem.line);
      expect(actual?.field).toBe(problem.field);
      expect(actual?.reason).toMatch(new RegExp(problem.reason));
    });
  });

  it.each(files.filter((name) => (expected[name] ?? []).length > 0))(
    "CreateModelCustomizationJob refuses %s, naming the file and line",
    async (name) => {
      const uri = `s3://strata/broken/${name}`;
      const first = expected[name]?.[0];
      const error = await bedrock
        .send(
          new CreateModelCustomizationJobCommand({
            jobName: `broken-${name.replace(/\W/g, "-")}`,
            customModelName: `broken-${name.replace(/\W/g, "-")}`,
            roleArn: "arn:aws:iam::000000000000:role/r",
            baseModelIdentifier: "local.test-tiny",
            trainingDataConfig: { s3Uri: uri },
            outputDataConfig: { s3Uri: "s3://strata/out/" },
          }),
        )
        .then(
          () => undefined,
          (caught: Error) => caught,
        );
      expect(error?.name).toBe("ValidationException");
      expect(error?.message).toContain(`${uri}:${first?.line}${first?.field ? ` ${first.field}` : ""}: `);
    },
  );

  it("a missing object is a ResourceNotFoundException", async () => {
    await expect(
      api.call({
        method: "POST",
        path: "/strata/datasets/validate",
        body: { s3Uri: "s3://strata/broken/none.jsonl" },
      }),
    ).rejects.toThrow("ResourceNotFoundException: s3Uri: no object at s3://strata/broken/none.jsonl.");
  });
});

describe("the method advisor", () => {
  it.each([
    ["pairs.jsonl", promptCompletionJsonl(5), "INSTRUCTION_FINE_TUNING", "FINE_TUNING"],
    ["text.jsonl", continuedPreTrainingJsonl(5), "CONTINUED_PRE_TRAINING", "CONTINUED_PRE_TRAINING"],
    [
      "labels.jsonl",
      `${JSON.stringify({ text: "great", label: "positive" })}\n`,
      "TRANSFER_LEARNING",
      "FINE_TUNING",
    ],
  ])("%s → %s", async (name, body, method, type) => {
    const s3Uri = await putText(s3, `advise/${name}`, body);
    const advice = await api.call<AdviseCustomizationMethodResponse>({
      method: "POST",
      path: "/strata/datasets/advise",
      body: { s3Uri },
    });
    expect(advice).toMatchObject({ recommendedMethod: method, customizationType: type });
    expect(advice.methods).toHaveLength(3);
    expect(advice.methods.filter((fit) => !fit.fits).every((fit) => fit.dataNeeded.length > 20)).toBe(true);
  });
});

describe("the dry run", () => {
  it("counts records and tokens with the base model, measures throughput once, then reuses it", async () => {
    const trainingDataS3Uri = await putText(s3, "estimate/train.jsonl", promptCompletionJsonl(12));
    const body = {
      baseModelIdentifier: "local.test-tiny",
      trainingDataS3Uri,
      hyperParameters: { epochCount: "3", batchSize: "2", maxSequenceLength: "64" },
    };
    const first = await api.call<EstimateModelCustomizationJobResponse>({
      method: "POST",
      path: "/strata/model-customization-jobs/estimate",
      body,
    });
    expect(first).toMatchObject({
      baseModelId: "local.test-tiny",
      customizationType: "FINE_TUNING",
      format: "prompt-completion",
      records: 12,
      epochs: 3,
      throughput: { source: "measured" },
      memory: { fits: true },
      cost: { currency: "USD", localPricePer1kTokens: 0, localCost: 0 },
    });
    expect(first.trainedTokens).toBe(first.trainedTokensPerEpoch * 3);
    expect(first.tokens).toBeGreaterThan(first.trainedTokensPerEpoch);
    expect(first.totalSteps).toBe(first.stepsPerEpoch * 3);
    expect(first.stepsPerEpoch).toBe(Math.ceil(first.rows / 2));
    expect(first.throughput.tokensPerSecond).toBeGreaterThan(0);
    expect(first.estimatedSeconds).toBeCloseTo(first.processedTokens / first.throughput.tokensPerSecond, 6);
    expect(
      first.cost.bedrockEquivalents.find((price) => price.modelName === "Meta Llama 2 13B"),
    ).toMatchObject({
      pricePer1kTokens: 0.00149,
      cost: (first.trainedTokens / 1000) * 0.00149,
    });
    const second = await api.call<EstimateModelCustomizationJobResponse>({
      method: "POST",
      path: "/strata/model-customization-jobs/estimate",
      body,
    });
    expect(second.throughput).toMatchObject({
      source: "stored",
      tokensPerSecond: first.throughput.tokensPerSecond,
    });
  });
});
