// One transfer-learning job, top to bottom: stage the labeled files (hashed copies) → check them as the job was
// checked when created → embed every text with the frozen base model through the inference engine → train the
// head(s) on the embeddings with early stopping on the validation loss → evaluate on the test records against
// the two baselines (bag of words, zero-shot label likelihood under the base model) → write the metrics CSVs
// and evaluation.json under the output prefix → store the head next to the custom models and register it.
//
// A job cut short by a server stop starts again at the next start, but its embeddings (the slow part) resume
// from the ones it had kept in its job directory (feature-checkpoint.ts); heads and evaluation are recomputed
// (seconds, and deterministic).
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { localModelFilePath } from "../../catalog/local-model-registry.js";
import type { CustomModelRegistry } from "../../customization/custom-models/custom-model-registry.js";
import type { JobDataLimits } from "../../customization/datasets/prepare-job-data.js";
import type {
  CustomizationJob,
  CustomizationJobStore,
} from "../../customization/jobs/customization-job-store.js";
import type { CustomizationMetricsStore } from "../../customization/jobs/customization-metrics-store.js";
import { jobOutputPrefix } from "../../customization/jobs/metrics-csv.js";
import { writeMetricsCsvs } from "../../customization/jobs/register-custom-model.js";
import { JobFailure, jobDirectory } from "../../customization/jobs/run-customization-job.js";
import type { EngineModel, InferenceEngine, ScoringEngine } from "../../inference/engine/inference-engine.js";
import type { Logger } from "../../logging/logger.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { evaluateOnTestSet } from "../evaluation/evaluate-on-test-set.js";
import { extractFeatures } from "./extract-features.js";
import { FeatureCheckpoint, featureFingerprint } from "./feature-checkpoint.js";
import { holdOutValidation } from "./hold-out-validation.js";
import { registerClassifier } from "./register-classifier.js";
import { stageJobDatasets } from "./stage-job-datasets.js";
import { trainHeads } from "./train-heads.js";
import { transferLearningHyperParametersFrom } from "./transfer-learning-hyperparameters.js";
import type { TransferLearningJobStore } from "./transfer-learning-job-store.js";

export interface TransferLearningJobDependencies {
  dataDirectory: string;
  jobs: CustomizationJobStore;
  metrics: CustomizationMetricsStore;
  customModels: CustomModelRegistry;
  details: TransferLearningJobStore;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  /** The gated engine: feature extraction and zero-shot scoring queue with the model's other on-demand traffic. */
  engine: InferenceEngine & ScoringEngine;
  logger: Logger;
  newCustomModelId(): string;
}

export async function runTransferLearningJob(
  job: CustomizationJob,
  deps: TransferLearningJobDependencies,
  signal: AbortSignal,
): Promise<void> {
  const { jobs, details } = deps;
  const directory = jobDirectory(deps.dataDirectory, job.jobId);
  const extra = await details.find(job.jobId);
  const hyper = transferLearningHyperParametersFrom(job.hyperParameters);
  await mkdir(join(directory, "data"), { recursive: true });

  // 1. Data: hashed local copies, checked exactly as CreateTransferLearningJob checked the S3 objects.
  await jobs.recordProgress(job.jobId, { phase: "DataProcessing" });
  const sources = {
    training: job.trainingDataUri,
    ...(job.validationDataUris[0] ? { validation: job.validationDataUris[0] } : {}),
    ...(extra?.testDataUri ? { test: extra.testDataUri } : {}),
  };
  const { staged, datasets } = await stageJobDatasets(sources, directory, deps);
  const labels = datasets.training.labels;
  const { training, validation } = datasets.validation
    ? { training: datasets.training.records, validation: datasets.validation.records }
    : holdOutValidation(datasets.training.records, hyper.validationFraction, hyper.seed);
  if (new Set(training.map((record) => record.label)).size < 2)
    throw new JobFailure(
      `After holding out validation records, the training records of ${job.trainingDataUri} hold one class only; give more records or a validation file.`,
    );
  const test = datasets.test?.records ?? [];

  // 2. Features: the frozen base model's mean-pooled embeddings of every text.
  const baseModel: EngineModel = {
    modelId: job.baseModelId,
    filePath: localModelFilePath(deps.dataDirectory, { filePath: job.baseModelFile }),
  };
  const texts = [...training, ...validation, ...test].map((record) => record.text);
  await details.recordLabels(job.jobId, labels, texts.length);
  const fingerprint = await featureFingerprint({
    modelFile: baseModel.filePath,
    maxTokens: hyper.maxInputTokens,
    texts,
  });
  const checkpoint = new FeatureCheckpoint(directory, fingerprint);
  const vectors = await extractFeatures({
    engine: deps.engine,
    model: baseModel,
    texts,
    options: { maxTokens: hyper.maxInputTokens },
    signal,
    onProgress: (embedded) => details.recordEmbedded(job.jobId, embedded),
    checkpoint,
  });
  const classOf = (records: readonly { label: string }[]) =>
    records.map((record) => labels.indexOf(record.label));

  // 3. Heads, one epoch a metrics step (training and validation loss), early stopping on validation loss.
  const headCount = hyper.headType === "auto" ? 2 : 1;
  await jobs.recordProgress(job.jobId, {
    phase: "Training",
    totalSteps: hyper.epochCount * headCount,
    stepsPerEpoch: 1,
  });
  let step = 0;
  const heads = await trainHeads({
    labels,
    baseModelId: job.baseModelId,
    training: { vectors: vectors.slice(0, training.length), labels: classOf(training) },
    validation: {
      vectors: vectors.slice(training.length, training.length + validation.length),
      labels: classOf(validation),
    },
    hyperParameters: hyper,
    signal,
    onEpoch: async (_headType, epoch) => {
      step++;
      const common = { step, epoch: epoch.epoch - 1 };
      await deps.metrics.record(job.jobId, {
        kind: "training",
        ...common,
        loss: epoch.trainingLoss,
        perplexity: Math.exp(epoch.trainingLoss),
        learningRate: hyper.learningRate,
      });
      await deps.metrics.record(job.jobId, {
        kind: "validation",
        ...common,
        loss: epoch.validationLoss,
        perplexity: Math.exp(epoch.validationLoss),
      });
      await jobs.recordProgress(job.jobId, {
        currentStep: step,
        trainingLoss: epoch.trainingLoss,
        validationLosses: [epoch.validationLoss],
      });
    },
  });
  await details.recordHeadTraining(
    job.jobId,
    heads.map((head) => head.summary),
  );
  const selected = heads.find((head) => head.summary.selected) ?? heads[0];
  if (!selected) throw new JobFailure("No head was trained.");
  await jobs.recordProgress(job.jobId, { validationLosses: [selected.summary.bestValidationLoss] });

  // 4. Held-out evaluation against both baselines, when test data was given.
  const { store, key } = deps.objectStores.resolve(
    jobOutputPrefix(job.outputDataUri, job.jobId),
    "outputDataConfig.s3Uri",
  );
  if (extra?.testDataUri && test.length > 0) {
    const evaluation = await evaluateOnTestSet({
      labels,
      testDataUri: extra.testDataUri,
      test,
      testVectors: vectors.slice(training.length + validation.length),
      heads,
      training,
      validation,
      hyperParameters: hyper,
      engine: deps.engine,
      baseModel,
      signal,
    });
    await details.recordEvaluation(job.jobId, evaluation);
    await store.put(`${key}evaluation.json`, Buffer.from(JSON.stringify(evaluation, null, 2)), {
      contentType: "application/json",
    });
  }

  // 5. Metrics CSVs, the head file, the custom model (registered and the job completed in one transaction).
  await jobs.recordProgress(job.jobId, { phase: "Registering" });
  const points = await deps.metrics.list(job.jobId);
  await writeMetricsCsvs(job, points, deps.objectStores);
  const customModelId = await registerClassifier({
    job,
    deps,
    directory,
    head: selected,
    points,
    datasets: {
      training: { staged: staged.training, records: datasets.training.records.length },
      ...(staged.validation && datasets.validation
        ? { validation: { staged: staged.validation, records: datasets.validation.records.length } }
        : {}),
    },
    hyperParameters: job.hyperParameters,
  });
  await rm(directory, { recursive: true, force: true });
  deps.logger.info("transfer-learning job completed", {
    jobId: job.jobId,
    customModelId,
    headType: selected.head.headType,
  });
}
