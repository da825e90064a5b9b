// Runs model import jobs: fetch the GGUF from the object store, check it, register it. Jobs are persisted;
// those still InProgress when the server stopped are run again at start (the steps are idempotent: a
// half-downloaded file is discarded and fetched anew).
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { LocalModelRegistry } from "../catalog/local-model-registry.js";
import { describeError, type Logger } from "../logging/logger.js";
import type { ObjectStore } from "../storage/object-store/object-store.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { ModelImportJob, ModelImportJobStore } from "./model-import-job-store.js";
import { ModelFileError, modelsDirectoryName, registerGgufModel } from "./register-gguf-model.js";
import { newResourceId } from "./resource-ids.js";

export class ModelImportRunner {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      dataDirectory: string;
      jobs: ModelImportJobStore;
      registry: LocalModelRegistry;
      objectStores: ObjectStoreResolver;
      logger: Logger;
    },
  ) {}

  start(job: ModelImportJob): void {
    if (this.running.has(job.jobId)) return;
    const run = this.run(job).finally(() => this.running.delete(job.jobId));
    this.running.set(job.jobId, run);
  }

  async resumeInterruptedJobs(): Promise<void> {
    for (const job of await this.options.jobs.listInProgress()) this.start(job);
  }

  /** Resolves when every job started so far has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(job: ModelImportJob): Promise<void> {
    const { dataDirectory, jobs, logger } = this.options;
    const incomingDirectory = join(dataDirectory, modelsDirectoryName, ".incoming");
    const incomingPath = join(incomingDirectory, `${job.jobId}.gguf.partial`);
    try {
      await mkdir(incomingDirectory, { recursive: true });
      const { store, key } = await locateGgufObject(this.options.objectStores, job.s3Uri);
      await pipeline(await store.get(key), createWriteStream(incomingPath));
      const importedModelId = newResourceId();
      await registerGgufModel({
        dataDirectory,
        registry: this.options.registry,
        incomingPath,
        describedAs: `s3://${store.bucket}/${key}`,
        modelId: job.modelId,
        modelName: job.importedModelName,
        providerName: "Local",
        source: "imported",
        sourceUri: `s3://${store.bucket}/${key}`,
        importedModelId,
        importJobId: job.jobId,
      });
      await jobs.complete(job.jobId, importedModelId);
      logger.info("model import completed", { jobId: job.jobId, modelId: job.modelId });
    } catch (error) {
      await rm(incomingPath, { force: true });
      const message =
        error instanceof ModelFileError || error instanceof ImportSourceError ? error.message : undefined;
      if (!message)
        logger.error("model import failed unexpectedly", { jobId: job.jobId, ...describeError(error) });
      await jobs.fail(job.jobId, message ?? `Internal error while importing: ${(error as Error).message}`);
    }
  }
}

export class ImportSourceError extends Error {}

/**
 * The GGUF object an import's s3Uri designates: the object itself when the URI names a .gguf file, else the
 * one .gguf file under that prefix (as Bedrock takes a prefix holding the model's files).
 */
export async function locateGgufObject(
  objectStores: ObjectStoreResolver,
  s3Uri: string,
): Promise<{ store: ObjectStore; key: string }> {
  const { store, key } = objectStores.resolve(s3Uri, "modelDataSource.s3DataSource.s3Uri");
  if (key.endsWith(".gguf")) {
    if (!(await store.head(key))) throw new ImportSourceError(`No object at ${s3Uri}.`);
    return { store, key };
  }
  const prefix = key.endsWith("/") ? key : `${key}/`;
  const found: string[] = [];
  for await (const object of store.list(prefix)) if (object.key.endsWith(".gguf")) found.push(object.key);
  if (found.length === 0) throw new ImportSourceError(`No .gguf file under ${s3Uri}.`);
  if (found.length > 1) {
    throw new ImportSourceError(
      `${s3Uri} holds ${found.length} .gguf files (${found.join(", ")}); point at one of them.`,
    );
  }
  return { store, key: found[0] as string };
}
