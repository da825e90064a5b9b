// Customization's part of the composition root: its stores, the job runner, the service and the operations,
// made from what start-strata.ts already has. start-strata registers the operations, resumes interrupted jobs
// after the server listens, and closes the runner before the database.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Kysely } from "kysely";
import type { Catalog } from "../catalog/catalog.js";
import type { LocalModelRegistry } from "../catalog/local-model-registry.js";
import type { StrataConfig } from "../config/strata-config.js";
import type { Logger } from "../logging/logger.js";
import { newResourceId } from "../model-import/resource-ids.js";
import type { OperationHandler } from "../protocol/dispatcher.js";
import type { StrataDatabase } from "../storage/database/database-schema.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import { nativeTrainerPath } from "../training/native-trainer.js";
import { CustomModelRegistry } from "./custom-models/custom-model-registry.js";
import { CustomizationService, type CustomModelInUse, customModelNotInUse } from "./customization-service.js";
import type { JobDataLimits } from "./datasets/prepare-job-data.js";
import { TokenizerCache } from "./datasets/tokenizer-cache.js";
import { TrainingThroughputStore } from "./estimate/training-throughput-store.js";
import type { CustomModelGate } from "./jobs/custom-model-gate.js";
import { CustomizationJobRunner } from "./jobs/customization-job-runner.js";
import { CustomizationJobStore } from "./jobs/customization-job-store.js";
import { CustomizationMetricsStore } from "./jobs/customization-metrics-store.js";
import { customizationExtensionOperations } from "./operations/customization-extension-operations.js";
import { customModelArnOf } from "./operations/customization-job-shapes.js";
import { customizationOperations } from "./operations/customization-operations.js";

export interface Customization {
  service: CustomizationService;
  /** Server shutdown: running jobs stay InProgress (they resume at the next start), tokenizers are freed. */
  close(): Promise<void>;
  runner: CustomizationJobRunner;
  customModels: CustomModelRegistry;
  bedrockOperations: Record<string, OperationHandler>;
  strataOperations: Record<string, OperationHandler>;
}

export function createCustomization(options: {
  config: StrataConfig;
  database: Kysely<StrataDatabase>;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  objectStores: ObjectStoreResolver;
  logger: Logger;
  /** The provisioned-throughput hook (see CustomModelInUse); default: no custom model is in use. */
  customModelInUse?: CustomModelInUse;
  /** The base-vs-custom evaluation run before a custom model is registered (src/evaluation/gate/). */
  gate?: CustomModelGate;
}): Customization {
  const { config, database } = options;
  const context = { region: config.region, accountId: config.accountId };
  const limits: JobDataLimits = {
    training: { maxRecords: config.customization.maxTrainingRecords },
    validation: {
      maxRecords: config.customization.maxValidationRecords,
      maxBytes: config.customization.maxValidationBytes,
    },
  };
  const jobs = new CustomizationJobStore(database);
  const metrics = new CustomizationMetricsStore(database);
  const customModels = new CustomModelRegistry(database);
  const throughput = new TrainingThroughputStore(database);
  const tokenizers = new TokenizerCache();
  const runner = new CustomizationJobRunner({
    dataDirectory: config.dataDirectory,
    jobs,
    metrics,
    customModels,
    throughput,
    objectStores: options.objectStores,
    limits,
    tokenizers,
    trainerThreads: config.customization.trainerThreads,
    trainerVersion: trainerVersion(),
    logger: options.logger,
    maxConcurrentJobs: config.customization.maxConcurrentJobs,
    newCustomModelId: newResourceId,
    ...(options.gate ? { gate: options.gate } : {}),
  });
  const sources = {
    region: config.region,
    catalog: options.catalog,
    localModels: options.localModels,
    customModels,
  };
  const service = new CustomizationService({
    ...sources,
    dataDirectory: config.dataDirectory,
    jobs,
    runner,
    objectStores: options.objectStores,
    limits,
    tokenizers,
    customModelArnOf: (model) => customModelArnOf(context, model),
    customModelInUse: options.customModelInUse ?? customModelNotInUse,
  });
  return {
    service,
    close: async () => {
      await runner.close();
      await tokenizers.dispose();
    },
    runner,
    customModels,
    bedrockOperations: customizationOperations(service, context),
    strataOperations: customizationExtensionOperations(
      {
        ...sources,
        service,
        metrics,
        dataDirectory: config.dataDirectory,
        objectStores: options.objectStores,
        limits,
        throughput,
        tokenizers,
        trainerThreads: config.customization.trainerThreads,
        localTrainingPricePer1kTokens: config.customization.localTrainingPricePer1kTokens,
      },
      context,
    ),
  };
}

/** Strata's version and a digest of the trainer addon that trains: what a custom model's lineage records. */
function trainerVersion(): string {
  const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };
  const addon = existsSync(nativeTrainerPath)
    ? createHash("sha256").update(readFileSync(nativeTrainerPath)).digest("hex").slice(0, 16)
    : "unbuilt";
  return `strata ${version}, trainer addon sha256:${addon}`;
}
