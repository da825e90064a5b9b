// What the examples share: a Strata of their own (the public startStrata, a temporary data directory, free
// ports) and the public clients a user would hold — @aws-sdk/client-s3 for the embedded S3,
// @aws-sdk/client-bedrock for the control plane, @aws-sdk/client-bedrock-runtime to run models, and Strata's
// signed REST client for its extension operations (ExportCustomModel, GetModelCustomizationJobProgress).
//
// A tuned model runs without provisioned throughput this way: train with trainingMethod=full (the custom model
// is then a merged GGUF), export it to S3 (ExportCustomModel), import it as a local model
// (CreateModelImportJob), and call it on demand by its imported-model ARN.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  CreateModelImportJobCommand,
  GetModelCustomizationJobCommand,
  type GetModelCustomizationJobCommandOutput,
  GetModelImportJobCommand,
} from "@aws-sdk/client-bedrock";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/logging/logger.js";
import type {
  ExportCustomModelResponse,
  GetModelCustomizationJobProgressResponse,
} from "../../src/protocol/generated/strata-types.js";
import { startStrata } from "../../src/server/start-strata.js";

export const quick = process.argv.includes("--quick");
export const bucket = "strata";
const roleArn = "arn:aws:iam::000000000000:role/strata-examples";

export interface ExampleStrata {
  bedrock: BedrockClient;
  runtime: BedrockRuntimeClient;
  s3: S3Client;
  /** Strata's extension operations, signed like the SDKs sign (what the `strata` CLI uses). */
  api: ApiClient;
  stop(): Promise<void>;
}

/** A Strata of the example's own: a temporary data directory, free ports, warnings and errors on stderr. */
export async function startExampleStrata(): Promise<ExampleStrata> {
  const dataDirectory = mkdtempSync(join(tmpdir(), "strata-example-"));
  const config = loadConfig({ dataDir: dataDirectory, port: "0", s3Port: "0" }, {});
  const strata = await startStrata(config, createLogger({ level: "warn" }));
  const credentials = readCredentialsFile(strata.firstStart.credentialsFile);
  const region = config.region;
  const bedrock = new BedrockClient({ endpoint: strata.apiUrl, region, credentials, maxAttempts: 1 });
  const runtime = new BedrockRuntimeClient({ endpoint: strata.apiUrl, region, credentials, maxAttempts: 1 });
  const s3 = new S3Client({ endpoint: strata.s3Url, region, credentials, forcePathStyle: true });
  return {
    bedrock,
    runtime,
    s3,
    api: new ApiClient(strata.apiUrl, credentials, region),
    stop: async () => {
      bedrock.destroy();
      runtime.destroy();
      s3.destroy();
      await strata.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

export function jsonl(records: readonly unknown[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}

/** Puts text into the embedded S3; returns its s3:// URI. */
export async function upload(strata: ExampleStrata, key: string, text: string): Promise<string> {
  await strata.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
  return `s3://${bucket}/${key}`;
}

export interface CompletedJob {
  job: GetModelCustomizationJobCommandOutput;
  jobId: string;
  /** validation_metrics.csv as rows; Strata's first row (step_number −1) is the base model's loss. */
  validation: { step: number; epoch: number; loss: number; perplexity: number }[];
  seconds: number;
}

/** CreateModelCustomizationJob, then GetModelCustomizationJob until it ends, printing the progress. */
export async function customize(
  strata: ExampleStrata,
  input: Omit<CreateModelCustomizationJobCommandInput, "roleArn" | "outputDataConfig">,
): Promise<CompletedJob> {
  const started = Date.now();
  const outputUri = `s3://${bucket}/examples/${input.jobName}/output/`;
  const { jobArn = "" } = await strata.bedrock.send(
    new CreateModelCustomizationJobCommand({ ...input, roleArn, outputDataConfig: { s3Uri: outputUri } }),
  );
  console.log(`job ${jobArn}`);
  let job = await strata.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
  let lastPrinted = 0;
  while (job.status === "InProgress" || job.status === "Stopping") {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = await strata.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    if (Date.now() - lastPrinted > 15_000) {
      lastPrinted = Date.now();
      const progress = await strata.api.call<GetModelCustomizationJobProgressResponse>({
        method: "GET",
        path: `/strata/model-customization-jobs/${pathLabel(jobArn)}/progress`,
      });
      console.log(
        `  ${progress.phase} step ${progress.step}/${progress.totalSteps ?? "?"}` +
          (progress.trainingLoss === undefined ? "" : `, training loss ${progress.trainingLoss.toFixed(3)}`) +
          (progress.tokensPerSecond === undefined
            ? ""
            : `, ${Math.round(progress.tokensPerSecond)} tokens/s`),
      );
    }
  }
  if (job.status !== "Completed") throw new Error(`the job ended ${job.status}: ${job.failureMessage}`);
  const jobId = jobArn.split("/").at(-1) ?? "";
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `job completed in ${seconds.toFixed(0)} s: training loss ${job.trainingMetrics?.trainingLoss?.toFixed(3)}`,
  );
  let validation: CompletedJob["validation"] = [];
  if (input.validationDataConfig) {
    const key = `examples/${input.jobName}/output/model-customization-job-${jobId}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`;
    const object = await strata.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const lines = ((await object.Body?.transformToString()) ?? "").trim().split("\n").slice(1);
    validation = lines.map((line) => {
      const [step, epoch, loss, perplexity] = line.split(",").map(Number) as [number, number, number, number];
      return { step, epoch, loss, perplexity };
    });
  }
  return { job, jobId, validation, seconds };
}

/**
 * Makes a merged custom model callable on demand: ExportCustomModel copies its GGUF to S3, CreateModelImportJob
 * imports that as a local model. Returns the imported model's ARN (a Converse / InvokeModel modelId).
 */
export async function importCustomModel(
  strata: ExampleStrata,
  modelArn: string,
  name: string,
): Promise<string> {
  const exported = await strata.api.call<ExportCustomModelResponse>({
    method: "POST",
    path: `/strata/custom-models/${pathLabel(modelArn)}/export`,
    body: { s3Uri: `s3://${bucket}/examples/exports/${name}.gguf` },
  });
  if (exported.artifactKind !== "merged-model")
    throw new Error(`expected a merged model (trainingMethod=full), got ${exported.artifactKind}`);
  const { jobArn = "" } = await strata.bedrock.send(
    new CreateModelImportJobCommand({
      jobName: `import-${name}`,
      importedModelName: name,
      roleArn,
      modelDataSource: { s3DataSource: { s3Uri: exported.s3Uri } },
    }),
  );
  for (;;) {
    const job = await strata.bedrock.send(new GetModelImportJobCommand({ jobIdentifier: jobArn }));
    if (job.status === "Completed" && job.importedModelArn) {
      console.log(`imported ${exported.s3Uri} (${exported.fileSizeBytes} bytes) as ${job.importedModelArn}`);
      return job.importedModelArn;
    }
    if (job.status !== "InProgress") throw new Error(`the import ended ${job.status}: ${job.failureMessage}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One Converse call, greedy (temperature 0): the model's answer as text. */
export async function converse(
  strata: ExampleStrata,
  modelId: string,
  messages: Message[],
  maxTokens = 48,
): Promise<string> {
  const response = await strata.runtime.send(
    new ConverseCommand({ modelId, messages, inferenceConfig: { maxTokens, temperature: 0 } }),
  );
  return (response.output?.message?.content ?? [])
    .map((block) => block.text ?? "")
    .join("")
    .trim();
}

/** Raw text completion through InvokeModel's Meta Llama body ({"prompt"}): no chat template around it. */
export async function complete(
  strata: ExampleStrata,
  modelId: string,
  prompt: string,
  maxTokens = 32,
): Promise<string> {
  const response = await strata.runtime.send(
    new InvokeModelCommand({
      modelId,
      contentType: "application/json",
      body: JSON.stringify({ prompt, max_gen_len: maxTokens, temperature: 0 }),
    }),
  );
  const body = JSON.parse(new TextDecoder().decode(response.body)) as { generation: string };
  return body.generation;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
