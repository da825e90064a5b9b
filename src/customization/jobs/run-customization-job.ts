// One customization job, top to bottom: stage the datasets (hashed copies) → validate and pack them with the
// base model's tokenizer and chat template → plan the steps → train in a child process (resuming from the
// job's checkpoints when a previous attempt left some) → write Bedrock's metrics CSVs → move the artifact into
// <data-dir>/models/ → register the custom model and complete the job in one transaction.
//
// The signal's reason says why a run is cut short: "stop" (StopModelCustomizationJob → Stopped) or "shutdown"
// (the server is closing: the job stays InProgress and resumes from its last checkpoint at the next start).

import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { localModelFilePath } from "../../catalog/local-model-registry.js";
import type { Logger } from "../../logging/logger.js";
import {
  dequantizableTensorTypes,
  dequantizeGgufToF32,
  nonF32TensorTypes,
} from "../../model-files/gguf/dequantize-gguf.js";
import { readGgufHeader, summarizeLlamaFamilyModel } from "../../model-files/gguf/read-gguf.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { readCheckpoint } from "../../training/checkpoint-files.js";
import { loadNativeTrainer } from "../../training/native-trainer.js";
import { startTrainingProcess, type TrainingProcessOutcome } from "../../training/start-training-process.js";
import type { TrainingConfigInput } from "../../training/training-config.js";
import type { CustomModelRegistry } from "../custom-models/custom-model-registry.js";
import { type JobDataLimits, prepareJobData } from "../datasets/prepare-job-data.js";
import { stageDataset } from "../datasets/stage-dataset.js";
import type { TokenizerCache } from "../datasets/tokenizer-cache.js";
import {
  type TrainingThroughputStore,
  typicalTokensPerSecond,
} from "../estimate/training-throughput-store.js";
import { hyperParametersFromEffective } from "../hyperparameters/parse-hyperparameters.js";
import type { CustomModelGate } from "./custom-model-gate.js";
import type { CustomizationJob, CustomizationJobStore } from "./customization-job-store.js";
import type { CustomizationMetricsStore } from "./customization-metrics-store.js";
import { killOrphanedTrainer, trainerPidFile } from "./orphaned-trainer.js";
import { planTrainingSteps } from "./plan-training-steps.js";
import { registerCustomModel, writeMetricsCsvs } from "./register-custom-model.js";
import { TrainingEventRecorder } from "./training-event-recorder.js";

export interface CustomizationJobDependencies {
  dataDirectory: string;
  jobs: CustomizationJobStore;
  metrics: CustomizationMetricsStore;
  customModels: CustomModelRegistry;
  throughput: TrainingThroughputStore;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  tokenizers: TokenizerCache;
  trainerThreads: number;
  trainerVersion: string;
  logger: Logger;
  newCustomModelId(): string;
  /** Evaluates the custom model against its base on the validation data before it is registered. */
  gate?: CustomModelGate;
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
  const modelPath = localModelFilePath(deps.dataDirectory, { filePath: job.baseModelFile });
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
    tokenizers: deps.tokenizers,
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
    modelPath:
      hyperParameters.trainingMethod === "full"
        ? await f32Base(modelPath, directory, deps.trainerThreads)
        : modelPath,
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
    // Strata's addition: the base model's loss on the validation data, measured once before the first step
    // (the step-0 validation metric), so a job shows its validation loss before and after.
    validateAtStart: true,
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

  // 3. Bedrock's metrics CSVs under the output prefix; 4. the custom model, registered with its lineage.
  await jobs.recordProgress(job.jobId, { phase: "Registering" });
  // An early-stopped run may have trained a step past the checkpoint it exported: that step is not the model's.
  const points = (await metrics.list(job.jobId)).filter((point) => point.step <= steps);
  await writeMetricsCsvs(job, points, deps.objectStores);
  const customModelId = await registerCustomModel({
    job,
    deps,
    directory,
    outputPath,
    points,
    steps,
    hyperParameters,
    datasets: { training, validation },
    data,
    signal,
  });
  // The checkpoints and staged data served their purpose; the model and its lineage remain.
  await rm(directory, { recursive: true, force: true });
  deps.logger.info("customization job completed", { jobId: job.jobId, customModelId, steps });
}

/**
 * Full fine-tuning updates F32 weights: a base stored otherwise is trained from an F32 copy in the job directory,
 * made once (a resumed run finds it). F16 and Q8_0 (the built-in models) are decoded here; the k-quants and
 * legacy 4/5-bit types by llama.cpp's own quantizer with F32 as its target, which widens each block exactly.
 */
async function f32Base(modelPath: string, directory: string, threads: number | undefined): Promise<string> {
  const types = await nonF32TensorTypes(modelPath);
  if (types.length === 0) return modelPath;
  const copy = join(directory, "base-f32.gguf");
  if (existsSync(copy)) return copy;
  try {
    if (types.every((type) => (dequantizableTensorTypes as readonly string[]).includes(type)))
      await dequantizeGgufToF32(modelPath, copy);
    else await loadNativeTrainer().quantize(modelPath, copy, "f32", threads ? { threads } : {});
  } catch (error) {
    throw new JobFailure(
      `trainingMethod=full needs the base model in F32; converting its ${types.join(", ")} tensors failed: ${(error as Error).message}. Use trainingMethod=lora.`,
    );
  }
  return copy;
}

/** The context the base model was trained with, from its GGUF header (what CreateModelCustomizationJob used). */
async function baseContextLength(modelPath: string): Promise<number> {
  const read = await readGgufHeader(modelPath);
  if (!read.ok) throw new JobFailure(`The base model file cannot be read: ${read.reason}`);
  const summarized = summarizeLlamaFamilyModel(read.header);
  if (!summarized.ok) throw new JobFailure(`The base model file cannot be trained: ${summarized.reason}`);
  return summarized.summary.contextLength;
}
