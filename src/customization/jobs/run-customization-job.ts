// One customization job, top to bottom: stage the datasets (hashed copies) → validate and pack them with the
// base model's tokenizer and chat template → plan the steps → train in a child process (resuming from the
// job's checkpoints when a previous attempt left some) → write Bedrock's metrics CSVs → move the artifact into
// <data-dir>/models/ → register the custom model and complete the job in one transaction.
//
// The signal's reason says why a run is cut short: "stop" (StopModelCustomizationJob → Stopped) or "shutdown"
// (the server is closing: the job stays InProgress and resumes from its last checkpoint at the next start).
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../logging/logger.js";
import { readGgufHeader, summarizeLlamaFamilyModel } from "../../model-files/gguf/read-gguf.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { readCheckpoint } from "../../training/checkpoint-files.js";
import { startTrainingProcess, type TrainingProcessOutcome } from "../../training/start-training-process.js";
import type { TrainingConfigInput } from "../../training/training-config.js";
import type { CustomModelRegistry } from "../custom-models/custom-model-registry.js";
import { type JobDataLimits, prepareJobData } from "../datasets/prepare-job-data.js";
import { stageDataset } from "../datasets/stage-dataset.js";
import {
  type TrainingThroughputStore,
  typicalTokensPerSecond,
} from "../estimate/training-throughput-store.js";
import { hyperParametersFromEffective } from "../hyperparameters/parse-hyperparameters.js";
import type { CustomizationJob, CustomizationJobStore } from "./customization-job-store.js";
import type { CustomizationMetricsStore } from "./customization-metrics-store.js";
import { jobOutputPrefix, metricsCsv, trainingMetricsFile, validationMetricsFile } from "./metrics-csv.js";
import { killOrphanedTrainer, trainerPidFile } from "./orphaned-trainer.js";
import { planTrainingSteps } from "./plan-training-steps.js";
import { TrainingEventRecorder } from "./training-event-recorder.js";

export interface CustomizationJobDependencies {
  dataDirectory: string;
  jobs: CustomizationJobStore;
  metrics: CustomizationMetricsStore;
  customModels: CustomModelRegistry;
  throughput: TrainingThroughputStore;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  trainerThreads: number;
  trainerVersion: string;
  logger: Logger;
  newCustomModelId(): string;
}

/** A reason the job fails that the user can act on; becomes failureMessage as is. */
export class JobFailure extends Error {
  override readonly name = "JobFailure";
}

export type StopReason = "stop" | "shutdown";

export function jobDirectory(dataDirectory: string, jobId: string): string {
  return join(dataDirectory, "customization", jobId);
}

export async function runCustomizationJob(
  job: CustomizationJob,
  deps: CustomizationJobDependencies,
  signal: AbortSignal,
): Promise<void> {
  const { jobs, metrics } = deps;
  const directory = jobDirectory(deps.dataDirectory, job.jobId);
  const modelPath = join(deps.dataDirectory, job.baseModelFile);
  await mkdir(join(directory, "data"), { recursive: true });

  // 1. Data: hashed local copies, validated and packed exactly as CreateModelCustomizationJob checked them.
  await jobs.recordProgress(job.jobId, { phase: "DataProcessing" });
  const training = await stageDataset(
    job.trainingDataUri,
    join(directory, "data", "training.jsonl"),
    deps.objectStores,
    "trainingDataConfig.s3Uri",
  );
  const validation = [];
  for (const [index, uri] of job.validationDataUris.entries())
    validation.push(
      await stageDataset(
        uri,
        join(directory, "data", `validation-${index}.jsonl`),
        deps.objectStores,
        "validationDataConfig.validators[].s3Uri",
      ),
    );
  const contextLength = await baseContextLength(modelPath);
  const hyperParameters = hyperParametersFromEffective(job.hyperParameters);
  const data = await prepareJobData({
    locations: { training: training.path, validation: validation.map((file) => file.path) },
    customizationType: job.customizationType,
    modelPath,
    contextLength,
    sequenceLength: hyperParameters.maxSequenceLength,
    limits: deps.limits,
    objectStores: deps.objectStores,
  });
  const plan = planTrainingSteps(data.rows.length, hyperParameters);
  await jobs.recordProgress(job.jobId, {
    phase: "Training",
    totalSteps: plan.totalSteps,
    stepsPerEpoch: plan.stepsPerEpoch,
  });

  // 2. Training, in its own process; the checkpoint directory belongs to the job, so a rerun resumes it.
  const outputPath = join(directory, "output.gguf");
  const config: TrainingConfigInput = {
    modelPath,
    checkpointDirectory: join(directory, "checkpoints"),
    training: data.training,
    ...(data.validation ? { validation: data.validation } : {}),
    outputPath,
    mode: hyperParameters.trainingMethod,
    loraRank: hyperParameters.loraRank,
    loraAlpha: hyperParameters.loraAlpha,
    steps: plan.totalSteps,
    rowsPerStep: hyperParameters.batchSize,
    sequenceLength: hyperParameters.maxSequenceLength,
    learningRate: hyperParameters.learningRate,
    warmupSteps: Math.min(hyperParameters.learningRateWarmupSteps, plan.totalSteps),
    validationEvery: plan.validationEvery,
    checkpointEvery: plan.checkpointEvery,
    seed: 1,
    threads: deps.trainerThreads,
  };
  const recorder = new TrainingEventRecorder(
    job.jobId,
    deps,
    plan.stepsPerEpoch,
    hyperParameters.earlyStoppingPatience,
  );
  let earlyStopped = false;
  await killOrphanedTrainer(directory);
  if (signal.aborted) {
    if (signal.reason === "stop") await jobs.finish(job.jobId, "Stopped");
    return;
  }
  const run = startTrainingProcess(config, (event) => {
    if (recorder.record(event) && !earlyStopped) {
      earlyStopped = true;
      run.cancel();
    }
  });
  await writeFile(trainerPidFile(directory), String(run.child.pid ?? ""));
  const onAbort = () => run.cancel();
  signal.addEventListener("abort", onAbort);
  let outcome: TrainingProcessOutcome;
  try {
    outcome = await run.outcome;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await rm(trainerPidFile(directory), { force: true });
    await recorder.flushed();
  }
  if (signal.aborted) {
    if (signal.reason === "stop") await jobs.finish(job.jobId, "Stopped");
    return;
  }
  if (outcome.type === "failed") throw new JobFailure(`Training failed: ${outcome.error}`);
  if (outcome.type === "exited")
    throw new JobFailure(
      `The trainer process ended unexpectedly (${outcome.signal ?? `exit code ${outcome.code}`}) before the run finished.`,
    );
  let steps = outcome.step;
  if (outcome.status === "cancelled") {
    if (!earlyStopped) throw new JobFailure("Training was cancelled.");
    // Early stop: export the last checkpoint (a run to that step resumes there and only exports).
    const checkpoint = await readCheckpoint(config.checkpointDirectory);
    if (checkpoint.kind !== "found") throw new JobFailure("Early stopping found no checkpoint to export.");
    steps = checkpoint.manifest.step;
    const exported = await startTrainingProcess({ ...config, steps }).outcome;
    if (exported.type !== "finished" || exported.status !== "completed")
      throw new JobFailure(
        `Exporting the early-stopped model failed: ${exported.type === "failed" ? exported.error : exported.type}`,
      );
  }
  const measured = typicalTokensPerSecond(recorder.speeds);
  if (measured)
    await deps.throughput.record(
      {
        baseModelFile: job.baseModelFile,
        trainingMethod: hyperParameters.trainingMethod,
        loraRank: hyperParameters.loraRank,
        sequenceLength: hyperParameters.maxSequenceLength,
      },
      measured,
    );

  // 3. Metrics CSVs under the output prefix, as Bedrock writes them.
  await jobs.recordProgress(job.jobId, { phase: "Registering" });
  // An early-stopped run may have trained a step past the checkpoint it exported: that step is not the model's.
  const points = (await metrics.list(job.jobId)).filter((point) => point.step <= steps);
  const { store, key } = deps.objectStores.resolve(
    jobOutputPrefix(job.outputDataUri, job.jobId),
    "outputDataConfig.s3Uri",
  );
  await store.put(`${key}${trainingMetricsFile}`, Buffer.from(metricsCsv(points, "training")), {
    contentType: "text/csv",
  });
  if (job.validationDataUris.length > 0)
    await store.put(`${key}${validationMetricsFile}`, Buffer.from(metricsCsv(points, "validation")), {
      contentType: "text/csv",
    });

  // 4. The artifact into models/, then one transaction registers the model and completes the job. The id is
  //    kept in the job directory, so a registration interrupted by a crash redoes the same move.
  const customModelId = await reservedCustomModelId(directory, deps.newCustomModelId);
  const artifactFile = join("models", `custom-${customModelId}.gguf`);
  try {
    await rename(outputPath, join(deps.dataDirectory, artifactFile));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== "ENOENT" ||
      !(await exists(join(deps.dataDirectory, artifactFile)))
    )
      throw error;
  }
  const lastTraining = points.filter((point) => point.kind === "training" && point.step <= steps).at(-1);
  const finalValidation = points.filter((point) => point.kind === "validation" && point.step <= steps).at(-1);
  const finalValidationLosses = finalValidation ? [finalValidation.loss] : [];
  await deps.customModels.registerForCompletedJob({
    customModelId,
    modelName: job.customModelName,
    jobId: job.jobId,
    jobName: job.jobName,
    baseModelId: job.baseModelId,
    ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
    customizationType: job.customizationType,
    trainingMethod: hyperParameters.trainingMethod,
    baseModelFile: job.baseModelFile,
    artifactFile,
    artifactKind: hyperParameters.trainingMethod === "lora" ? "lora-adapter" : "merged-model",
    fileSizeBytes: (await stat(join(deps.dataDirectory, artifactFile))).size,
    hyperParameters: job.hyperParameters,
    trainingDataUri: job.trainingDataUri,
    validationDataUris: job.validationDataUris,
    outputDataUri: job.outputDataUri,
    ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
    validationLosses: finalValidationLosses,
    lineage: {
      baseModelId: job.baseModelId,
      ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
      trainingData: {
        s3Uri: training.s3Uri,
        sha256: training.sha256,
        bytes: training.bytes,
        records: data.trainingReport.records,
      },
      validationData: validation.map((file, index) => ({
        s3Uri: file.s3Uri,
        sha256: file.sha256,
        bytes: file.bytes,
        records: data.validationReports[index]?.records ?? 0,
      })),
      hyperParameters: job.hyperParameters,
      steps,
      trainedTokens: data.trainedTokensPerEpoch * hyperParameters.epochCount,
      ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
      validationLosses: finalValidationLosses,
      trainerVersion: deps.trainerVersion,
    },
  });
  // The checkpoints and staged data served their purpose; the model and its lineage remain.
  await rm(directory, { recursive: true, force: true });
  deps.logger.info("customization job completed", { jobId: job.jobId, customModelId, steps });
}

async function reservedCustomModelId(directory: string, newId: () => string): Promise<string> {
  const path = join(directory, "custom-model-id");
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const id = newId();
  await writeFile(path, id);
  return id;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The context the base model was trained with, from its GGUF header (what CreateModelCustomizationJob used). */
async function baseContextLength(modelPath: string): Promise<number> {
  const read = await readGgufHeader(modelPath);
  if (!read.ok) throw new JobFailure(`The base model file cannot be read: ${read.reason}`);
  const summarized = summarizeLlamaFamilyModel(read.header);
  if (!summarized.ok) throw new JobFailure(`The base model file cannot be trained: ${summarized.reason}`);
  return summarized.summary.contextLength;
}
