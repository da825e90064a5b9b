// Transfer learning's part of the composition root, made once the engine and provisioned throughput exist: the
// job driver plugged into the customization runner (before interrupted jobs resume), the job service, the
// classifier that serves through reservations, and the extension operations.

import type { Kysely } from "kysely";
import type { Catalog } from "../catalog/catalog.js";
import type { LocalModelRegistry } from "../catalog/local-model-registry.js";
import type { StrataConfig } from "../config/strata-config.js";
import type { Customization } from "../customization/create-customization.js";
import type { JobDataLimits } from "../customization/datasets/prepare-job-data.js";
import { CustomizationJobStore } from "../customization/jobs/customization-job-store.js";
import { CustomizationMetricsStore } from "../customization/jobs/customization-metrics-store.js";
import type { InferenceEngine, ScoringEngine } from "../inference/engine/inference-engine.js";
import type { RuntimeModelResolver } from "../inference/resolve-runtime-model.js";
import type { Logger } from "../logging/logger.js";
import { newResourceId } from "../model-import/resource-ids.js";
import type { OperationHandler } from "../protocol/dispatcher.js";
import type { ProvisionedThroughputService } from "../provisioned-throughput/provisioned-throughput-service.js";
import type { StrataDatabase } from "../storage/database/database-schema.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { UsageRecorder } from "../usage/invocation-record.js";
import { runTransferLearningJob } from "./jobs/run-transfer-learning-job.js";
import { TransferLearningJobStore } from "./jobs/transfer-learning-job-store.js";
import { transferLearningOperations } from "./operations/transfer-learning-operations.js";
import { ClassifierService } from "./serving/classifier-service.js";
import { TransferLearningService } from "./transfer-learning-service.js";

/** LlamaCppEngine's default cap on a context (start-strata does not change it). */
const engineContextCap = 4096;

export interface TransferLearning {
  service: TransferLearningService;
  classifier: ClassifierService;
  strataOperations: Record<string, OperationHandler>;
}

export function createTransferLearning(options: {
  config: StrataConfig;
  database: Kysely<StrataDatabase>;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customization: Customization;
  objectStores: ObjectStoreResolver;
  /** The gated engine the runtime uses (scoring too: the zero-shot baseline scores labels through it). */
  engine: InferenceEngine & ScoringEngine;
  reservations: ProvisionedThroughputService;
  runtimeResolver: RuntimeModelResolver;
  usage: UsageRecorder;
  logger: Logger;
}): TransferLearning {
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
  const details = new TransferLearningJobStore(database);
  const customModels = options.customization.customModels;
  options.customization.runner.registerDriver("TRANSFER_LEARNING", (job, signal) =>
    runTransferLearningJob(
      job,
      {
        dataDirectory: config.dataDirectory,
        jobs,
        metrics: new CustomizationMetricsStore(database),
        customModels,
        details,
        objectStores: options.objectStores,
        limits,
        engine: options.engine,
        logger: options.logger,
        newCustomModelId: newResourceId,
      },
      signal,
    ),
  );
  const service = new TransferLearningService({
    accountId: config.accountId,
    catalog: options.catalog,
    localModels: options.localModels,
    customModels,
    jobs,
    details,
    runner: options.customization.runner,
    objectStores: options.objectStores,
    limits,
    maxContextSize: engineContextCap,
  });
  const classifier = new ClassifierService({
    dataDirectory: config.dataDirectory,
    reservationFor: (modelId) => options.reservations.forRuntime(modelId),
    resolver: options.runtimeResolver,
    engine: options.engine,
  });
  return {
    service,
    classifier,
    strataOperations: transferLearningOperations(service, classifier, context, options.usage),
  };
}
