// `strata models import <file.gguf | s3://…>`: uploads a local file to the object store (with a progress bar),
// then asks the server to import it through CreateModelImportJob — the same code path as the Bedrock API —
// and waits for the job. A failed import removes what this command uploaded.
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform } from "node:stream";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { credentialsFilePath, readCredentialsFile } from "../../auth/credentials-file.js";
import type { StrataConfig } from "../../config/strata-config.js";
import type { GetServiceInfoResponse } from "../../protocol/generated/strata-types.js";
import { type ApiClient, pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { progressBar } from "../progress-bar.js";

const importRoleArn = "arn:aws:iam::000000000000:role/strata-cli-import";

interface ImportJob {
  status: "InProgress" | "Completed" | "Failed";
  failureMessage?: string;
  importedModelArn?: string;
}

/** The object store as the server reports it (its port is the server's to know), with the CLI's own key. */
export async function s3ClientFor(
  config: StrataConfig,
  api: ApiClient,
): Promise<{ client: S3Client; bucket: string }> {
  const credentials = readCredentialsFile(credentialsFilePath(config.dataDirectory));
  const { objectStore } = await api.call<GetServiceInfoResponse>({ method: "GET", path: "/strata/info" });
  const client = new S3Client({
    region: objectStore.region ?? config.region,
    forcePathStyle: objectStore.forcePathStyle ?? true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    ...(objectStore.endpoint ? { endpoint: objectStore.endpoint } : {}),
  });
  return { client, bucket: objectStore.bucket };
}

/** The importedModelName Bedrock allows, from a file name: "Qwen2.5-0.5B-Instruct-Q8_0.gguf" → "Qwen2-5-0-5B-Instruct-Q8_0". */
export function importedModelNameFor(fileName: string): string {
  return basename(fileName, ".gguf")
    .replace(/[^0-9a-zA-Z_-]+/g, "-")
    .replace(/([_-])[_-]+/g, "$1")
    .replace(/^[_-]+|[_-]+$/g, "")
    .slice(0, 63);
}

async function upload(client: S3Client, bucket: string, path: string): Promise<string> {
  const size = statSync(path).size;
  const key = `imports/${Date.now()}-${basename(path).replace(/[^0-9A-Za-z._-]/g, "_")}`;
  const bar = progressBar(`uploading ${basename(path)}`, size);
  let done = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      bar.update(done);
      callback(null, chunk);
    },
  });
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: createReadStream(path).pipe(counting),
      ContentLength: size,
    }),
  );
  bar.finish();
  return key;
}

export async function importModelCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    name: { type: "string" },
    "job-name": { type: "string" },
  });
  const source = positionals[0];
  if (!source)
    throw new CliError("usage: strata models import <file.gguf | s3://bucket/key> [--name NAME] [--json]", 2);
  const config = configFromFlags(values, environment);
  const api = apiClientFor(config, values.endpoint);

  let s3Uri = source;
  let uploaded: { client: S3Client; bucket: string; key: string } | undefined;
  if (!source.startsWith("s3://")) {
    try {
      if (!statSync(source).isFile()) throw new Error("not a file");
    } catch {
      throw new CliError(`${source} is not a readable file`);
    }
    const { client, bucket } = await s3ClientFor(config, api);
    const key = await upload(client, bucket, source);
    uploaded = { client, bucket, key };
    s3Uri = `s3://${bucket}/${key}`;
  }
  const importedModelName = values.name ?? importedModelNameFor(source.split("/").pop() ?? "model");
  try {
    const { jobArn } = await api.call<{ jobArn: string }>({
      method: "POST",
      path: "/model-import-jobs",
      body: {
        jobName: values["job-name"] ?? `import-${Date.now()}`,
        importedModelName,
        roleArn: importRoleArn,
        modelDataSource: { s3DataSource: { s3Uri } },
      },
    });
    let job: ImportJob;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await api.call<ImportJob>({ method: "GET", path: `/model-import-jobs/${pathLabel(jobArn)}` });
    } while (job.status === "InProgress");
    if (job.status === "Failed") throw new CliError(job.failureMessage ?? "the import failed");
    const imported = await api.call<{ modelArn: string; modelName: string }>({
      method: "GET",
      path: `/imported-models/${pathLabel(job.importedModelArn ?? "")}`,
    });
    const { model } = await api.call<{ model: { modelId: string; localModel?: Record<string, unknown> } }>({
      method: "GET",
      path: `/strata/catalog/${pathLabel(job.importedModelArn ?? "")}`,
    });
    if (values.json) {
      output.write(
        JSON.stringify(
          { jobArn, importedModelArn: imported.modelArn, modelId: model.modelId, ...model.localModel },
          null,
          2,
        ),
      );
    } else {
      output.write(`Imported ${model.modelId} (${imported.modelArn})`);
      const local = model.localModel ?? {};
      output.write(
        `architecture ${String(local.architecture)}, ${Number(local.parameterCount).toLocaleString("en-US")} parameters, context ${String(local.contextLength)}, ${String(local.quantization)}`,
      );
    }
  } catch (error) {
    if (uploaded) {
      await uploaded.client
        .send(new DeleteObjectCommand({ Bucket: uploaded.bucket, Key: uploaded.key }))
        .catch(() => undefined);
    }
    throw error;
  } finally {
    uploaded?.client.destroy();
  }
}

export async function removeModelCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const identifier = positionals[0];
  if (!identifier)
    throw new CliError("usage: strata models remove <local.name | imported-model ARN | name>", 2);
  const config = configFromFlags(values, environment);
  await apiClientFor(config, values.endpoint).call({
    method: "DELETE",
    path: `/imported-models/${pathLabel(identifier)}`,
  });
  output.write(values.json ? JSON.stringify({ removed: identifier }) : `Removed ${identifier}.`);
}
