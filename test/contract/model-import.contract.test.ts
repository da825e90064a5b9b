// Custom Model Import for GGUF through the unmodified @aws-sdk/client-bedrock: a valid model is registered
// once (imported-model ARN + catalog id local.<name>); malformed files fail cleanly and leave nothing behind.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BedrockClient,
  CreateModelImportJobCommand,
  DeleteImportedModelCommand,
  GetFoundationModelCommand,
  GetImportedModelCommand,
  GetModelImportJobCommand,
  type GetModelImportJobCommandOutput,
  ListFoundationModelsCommand,
  ListImportedModelsCommand,
  ListModelImportJobsCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedLlamaModel } from "../../src/model-files/create-model/create-llama-model.js";
import { makeTestModel } from "../support/make-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const roleArn = "arn:aws:iam::000000000000:role/strata-import";
let strata: TestStrata;
let bedrock: BedrockClient;
let s3: S3Client;
let model: CreatedLlamaModel;
let modelBytes: Buffer;

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
  model = await makeTestModel(join(mkdtempSync(join(tmpdir(), "strata-import-")), "tiny.gguf"));
  modelBytes = readFileSync(model.path);
  await s3.send(new PutObjectCommand({ Bucket: "strata", Key: "uploads/tiny/model.gguf", Body: modelBytes }));
});

afterAll(async () => {
  bedrock?.destroy();
  s3?.destroy();
  await strata?.stop();
});

async function waitForJob(jobArn: string): Promise<GetModelImportJobCommandOutput> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const job = await bedrock.send(new GetModelImportJobCommand({ jobIdentifier: jobArn }));
    if (job.status !== "InProgress") return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import job ${jobArn} did not finish`);
}

function modelFiles(): string[] {
  return readdirSync(join(strata.dataDirectory, "models"), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith("gguf") || name.endsWith(".partial"));
}

describe("a valid GGUF", () => {
  let jobArn: string;
  let importedModelArn: string;

  it("is imported by CreateModelImportJob and registered once, under both identifiers", async () => {
    const created = await bedrock.send(
      new CreateModelImportJobCommand({
        jobName: "import-tiny",
        importedModelName: "tiny_test",
        roleArn,
        modelDataSource: { s3DataSource: { s3Uri: "s3://strata/uploads/tiny/" } },
        clientRequestToken: "token-import-tiny",
      }),
    );
    jobArn = created.jobArn ?? "";
    expect(jobArn).toMatch(/^arn:aws:bedrock:us-east-1:000000000000:model-import-job\/[a-z0-9]{12}$/);
    const job = await waitForJob(jobArn);
    expect(job).toMatchObject({
      status: "Completed",
      jobName: "import-tiny",
      importedModelName: "tiny_test",
    });
    expect(job.creationTime).toBeInstanceOf(Date);
    expect(job.endTime).toBeInstanceOf(Date);
    importedModelArn = job.importedModelArn ?? "";
    expect(importedModelArn).toMatch(/:imported-model\/[a-z0-9]{12}$/);

    const imported = await bedrock.send(new GetImportedModelCommand({ modelIdentifier: importedModelArn }));
    expect(imported).toMatchObject({
      modelName: "tiny_test",
      modelArchitecture: "llama",
      instructSupported: true,
      jobArn,
    });

    const { modelDetails } = await bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: "local.tiny-test" }),
    );
    expect(modelDetails).toMatchObject({
      providerName: "Local",
      customizationsSupported: ["FINE_TUNING", "CONTINUED_PRE_TRAINING"],
    });
    // GetFoundationModel takes foundation-model ids only (its pattern refuses imported-model ARNs, as in
    // Bedrock); the runtime serves the imported model by its ARN, on demand, as Bedrock serves imported models.
    const runtime = new BedrockRuntimeClient({
      endpoint: strata.apiUrl,
      region: "us-east-1",
      credentials: strata.credentials,
      maxAttempts: 1,
    });
    const messages = [{ role: "user" as const, content: [{ text: "hi" }] }];
    const served = await runtime.send(
      new ConverseCommand({ modelId: importedModelArn, messages, inferenceConfig: { maxTokens: 4 } }),
    );
    expect(served.usage?.outputTokens).toBeGreaterThan(0);
    const unknownArn = importedModelArn.replace(/[a-z0-9]{12}$/, "zzzzzzzzzzzz");
    const unknown = await runtime
      .send(new ConverseCommand({ modelId: unknownArn, messages }))
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({
      name: "ValidationException",
      message: "The provided model identifier is invalid.",
    });
    runtime.destroy();

    const catalog = await fetchCatalogEntry("local.tiny-test");
    expect(catalog.localModel).toMatchObject({
      source: "imported",
      architecture: "llama",
      parameterCount: model.parameterCount,
      contextLength: 256,
      quantization: "Q8_0",
      trainerSupported: true,
      hasChatTemplate: true,
      fileSizeBytes: modelBytes.length,
    });
    const { modelSummaries = [] } = await bedrock.send(new ListImportedModelsCommand({}));
    expect(modelSummaries.map((summary) => summary.modelArn)).toEqual([importedModelArn]);
  });

  it("answers a retry with the same clientRequestToken with the same job, and refuses a duplicate name", async () => {
    const retry = await bedrock.send(
      new CreateModelImportJobCommand({
        jobName: "import-tiny",
        importedModelName: "tiny_test",
        roleArn,
        modelDataSource: { s3DataSource: { s3Uri: "s3://strata/uploads/tiny/" } },
        clientRequestToken: "token-import-tiny",
      }),
    );
    expect(retry.jobArn).toBe(jobArn);
    const duplicate = await bedrock
      .send(
        new CreateModelImportJobCommand({
          jobName: "import-tiny",
          importedModelName: "other",
          roleArn,
          modelDataSource: { s3DataSource: { s3Uri: "s3://strata/uploads/tiny/model.gguf" } },
        }),
      )
      .catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ name: "ConflictException" });
    const sameModel = await bedrock
      .send(
        new CreateModelImportJobCommand({
          jobName: "import-tiny-again",
          importedModelName: "tiny_test",
          roleArn,
          modelDataSource: { s3DataSource: { s3Uri: "s3://strata/uploads/tiny/model.gguf" } },
        }),
      )
      .catch((error: unknown) => error);
    expect(sameModel).toMatchObject({ name: "ConflictException" });
  });

  it("is deleted by DeleteImportedModel, file and catalog entry", async () => {
    await bedrock.send(new DeleteImportedModelCommand({ modelIdentifier: "tiny_test" }));
    const gone = await bedrock
      .send(new GetImportedModelCommand({ modelIdentifier: importedModelArn }))
      .catch((error: unknown) => error);
    expect(gone).toMatchObject({ name: "ResourceNotFoundException" });
    const { modelSummaries = [] } = await bedrock.send(
      new ListFoundationModelsCommand({ byProvider: "Local" }),
    );
    expect(modelSummaries).toEqual([]);
    expect(modelFiles()).toEqual([]);
  });
});

describe("malformed files", () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    [
      "truncated",
      () => modelBytes.subarray(0, Math.floor(modelBytes.length / 2)),
      /truncated|too short|end of file|past the end/i,
    ],
    [
      "wrong-magic",
      () => {
        const bytes = Buffer.from(modelBytes);
        bytes.write("GGML", 0, "latin1");
        return bytes;
      },
      /magic/i,
    ],
    // The header fits in 4 KiB, the tensor data does not.
    ["absurd-tensor", () => modelBytes.subarray(0, 4096), /./],
  ];

  it.each(cases.map(([name]) => [name]))(
    "%s: the job fails with a clear message and nothing is registered",
    async (name) => {
      const entry = cases.find(([caseName]) => caseName === name);
      if (!entry) throw new Error(name);
      const [, bytesOf, reason] = entry;
      await s3.send(new PutObjectCommand({ Bucket: "strata", Key: `uploads/${name}.gguf`, Body: bytesOf() }));
      const { jobArn = "" } = await bedrock.send(
        new CreateModelImportJobCommand({
          jobName: `import-${name}`,
          importedModelName: `bad_${name.replaceAll("-", "_")}`,
          roleArn,
          modelDataSource: { s3DataSource: { s3Uri: `s3://strata/uploads/${name}.gguf` } },
        }),
      );
      const job = await waitForJob(jobArn);
      expect(job.status).toBe("Failed");
      expect(job.failureMessage).toContain(`s3://strata/uploads/${name}.gguf is not a usable GGUF file`);
      expect(job.failureMessage).toMatch(reason);
      expect(job.importedModelArn).toBeUndefined();
      const { modelSummaries = [] } = await bedrock.send(new ListImportedModelsCommand({}));
      expect(modelSummaries).toEqual([]);
      expect(modelFiles()).toEqual([]);
    },
  );

  it("refuses a missing object up front, and lists the failed jobs", async () => {
    const missing = await bedrock
      .send(
        new CreateModelImportJobCommand({
          jobName: "import-missing",
          importedModelName: "missing",
          roleArn,
          modelDataSource: { s3DataSource: { s3Uri: "s3://strata/uploads/nothing-here.gguf" } },
        }),
      )
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({
      name: "ValidationException",
      message: "No object at s3://strata/uploads/nothing-here.gguf.",
    });
    const failed = await bedrock.send(
      new ListModelImportJobsCommand({ statusEquals: "Failed", sortOrder: "Ascending" }),
    );
    expect(failed.modelImportJobSummaries?.map((job) => job.jobName)).toEqual([
      "import-truncated",
      "import-wrong-magic",
      "import-absurd-tensor",
    ]);
    const page = await bedrock.send(new ListModelImportJobsCommand({ maxResults: 2 }));
    expect(page.modelImportJobSummaries).toHaveLength(2);
    expect(page.nextToken).toBeDefined();
  });
});

async function fetchCatalogEntry(modelId: string): Promise<{ localModel?: Record<string, unknown> }> {
  const { ApiClient } = await import("../../src/cli/api-client.js");
  const client = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
  const { model } = await client.call<{ model: { localModel?: Record<string, unknown> } }>({
    method: "GET",
    path: `/strata/catalog/${modelId}`,
  });
  return model;
}
