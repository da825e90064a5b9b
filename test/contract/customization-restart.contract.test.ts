// A server killed with SIGKILL in the middle of a customization job: after a restart on the same data
// directory the job resumes from its last checkpoint and ends Completed, with exactly one custom model and one
// metrics row per step. `strata serve` runs as a real process; the test drives it with the AWS SDK.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  CreateModelImportJobCommand,
  GetModelImportJobCommand,
  ListCustomModelsCommand,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readCredentialsFile, type StrataCredentials } from "../../src/auth/credentials-file.js";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type { GetModelCustomizationJobProgressResponse } from "../../src/protocol/generated/strata-types.js";
import { promptCompletionJsonl, waitForCustomizationJob } from "../support/customization-test-data.js";
import { makeTestModel } from "../support/make-test-model.js";
import { freePort, spawnCli } from "../support/run-cli.js";

let dataDirectory: string;
let server: ChildProcess | undefined;
let args: string[];
let apiUrl: string;
let s3Url: string;
let credentials: StrataCredentials;

async function startServer(): Promise<ChildProcess> {
  const child = spawnCli(["serve", ...args]);

  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("credentials:")) resolve();
    });
  });
  return child;
}

function clients() {
  return {
    bedrock: new BedrockClient({ endpoint: apiUrl, region: "us-east-1", credentials, maxAttempts: 1 }),
    s3: new S3Client({ endpoint: s3Url, region: "us-east-1", forcePathStyle: true, credentials }),
    api: new ApiClient(apiUrl, credentials, "us-east-1"),
  };
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-restart-"));
  const port = await freePort();
  const s3Port = await freePort();
  args = [
    "--data-dir",
    dataDirectory,
    "--port",
    String(port),
    "--s3-port",
    String(s3Port),
    "--log-level",
    "error",
  ];
  apiUrl = `http://127.0.0.1:${port}`;
  s3Url = `http://127.0.0.1:${s3Port}`;
  server = await startServer();
  credentials = readCredentialsFile(join(dataDirectory, "credentials"));
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  rmSync(dataDirectory, { recursive: true, force: true });
});

it("a job interrupted by kill -9 of the server resumes after restart and completes with exactly one custom model", async () => {
  let { bedrock, s3, api } = clients();
  // The base model, imported the Bedrock way.
  const modelPath = join(dataDirectory, "tiny-upload.gguf");
  await makeTestModel(modelPath, { tensorType: "F32" });
  await s3.send(
    new PutObjectCommand({ Bucket: "strata", Key: "models/tiny.gguf", Body: readFileSync(modelPath) }),
  );
  const { jobArn: importArn } = await bedrock.send(
    new CreateModelImportJobCommand({
      jobName: "import-tiny",
      importedModelName: "tiny",
      roleArn: "arn:aws:iam::000000000000:role/r",
      modelDataSource: { s3DataSource: { s3Uri: "s3://strata/models/tiny.gguf" } },
    }),
  );
  for (;;) {
    const imported = await bedrock.send(new GetModelImportJobCommand({ jobIdentifier: importArn }));
    if (imported.status === "Completed") break;
    expect(imported.status).toBe("InProgress");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await s3.send(
    new PutObjectCommand({ Bucket: "strata", Key: "datasets/train.jsonl", Body: promptCompletionJsonl(40) }),
  );

  const { jobArn } = await bedrock.send(
    new CreateModelCustomizationJobCommand({
      jobName: "survives-restart",
      customModelName: "survivor",
      roleArn: "arn:aws:iam::000000000000:role/r",
      baseModelIdentifier: "local.tiny",
      trainingDataConfig: { s3Uri: "s3://strata/datasets/train.jsonl" },
      outputDataConfig: { s3Uri: "s3://strata/out/" },
      hyperParameters: { epochCount: "2", batchSize: "1", maxSequenceLength: "32", learningRate: "0.001" },
    }),
  );
  const progressPath = `/strata/model-customization-jobs/${pathLabel(jobArn ?? "")}/progress`;

  // Kill the server once a checkpoint is behind the job and training goes on (about ten checkpoints per run).
  let before: GetModelCustomizationJobProgressResponse;
  for (;;) {
    before = await api.call<GetModelCustomizationJobProgressResponse>({ method: "GET", path: progressPath });
    if (before.step >= 12) break;
    expect(before.status).toBe("InProgress");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const totalSteps = before.totalSteps ?? 0;
  expect(totalSteps).toBeGreaterThan(before.step + 10);
  server?.kill("SIGKILL");
  await once(server as ChildProcess, "exit");
  bedrock.destroy();
  s3.destroy();

  server = await startServer();
  ({ bedrock, s3, api } = clients());
  const job = await waitForCustomizationJob(bedrock, jobArn ?? "", 180_000);
  expect([job.status, job.failureMessage]).toEqual(["Completed", undefined]);

  const models = await bedrock.send(new ListCustomModelsCommand({}));
  expect(models.modelSummaries?.map((model) => model.modelName)).toEqual(["survivor"]);
  expect(models.modelSummaries?.[0]?.modelArn).toBe(job.outputModelArn);

  const after = await api.call<GetModelCustomizationJobProgressResponse>({
    method: "GET",
    path: progressPath,
  });
  // At most one row per step, in order, through the last step; every step the restarted server trained is
  // there. The steps the trainer ran after the killed server had stored its last event (its checkpoints went
  // on until it noticed its parent was gone) have no row: their losses died with the server.
  const steps = after.metrics.filter((point) => point.kind === "training").map((point) => point.step);
  expect(new Set(steps).size).toBe(steps.length);
  expect(steps).toEqual([...steps].sort((a, b) => a - b));
  expect(steps.slice(0, before.step)).toEqual(Array.from({ length: before.step }, (_, i) => i + 1));
  const resumedAt = steps.findIndex((step, index) => step !== index + 1);
  if (resumedAt !== -1) {
    const first = steps[resumedAt] ?? 0;
    expect(steps.slice(resumedAt)).toEqual(
      Array.from({ length: totalSteps - first + 1 }, (_, i) => first + i),
    );
  }
  expect(steps.at(-1)).toBe(totalSteps);
  const csv = await s3.send(
    new GetObjectCommand({
      Bucket: "strata",
      Key: `out/model-customization-job-${jobArn?.split("/").at(-1)}/training_artifacts/step_wise_training_metrics.csv`,
    }),
  );
  const rows = ((await csv.Body?.transformToString()) ?? "").trim().split("\n");
  expect(rows[0]).toBe("step_number,epoch_number,training_loss,perplexity");
  expect(rows.slice(1).map((row) => Number(row.split(",")[0]))).toEqual(steps.map((step) => step - 1));
  bedrock.destroy();
  s3.destroy();
}, 240_000);
