// How many optimizer steps a job takes and when it validates and checkpoints: a pure function of the packed
// row count and the hyperparameters. batchSize is rows per optimizer step; the trainer accumulates gradients
// over them one row at a time, so any batch size fits in memory.
import type { HyperParameters } from "../hyperparameters/parse-hyperparameters.js";

export interface TrainingStepPlan {
  stepsPerEpoch: number;
  totalSteps: number;
  validationEvery: number;
  /** Divides validationEvery, so every evaluation has a checkpoint to stop (early) or resume at. */
  checkpointEvery: number;
}

export function planTrainingSteps(rows: number, hyperParameters: HyperParameters): TrainingStepPlan {
  const stepsPerEpoch = Math.max(1, Math.ceil(rows / hyperParameters.batchSize));
  const totalSteps = stepsPerEpoch * hyperParameters.epochCount;
  const validationEvery = Math.min(totalSteps, hyperParameters.evaluationInterval || stepsPerEpoch);
  // About ten checkpoints per run bound the work lost to a crash without writing state after every step.
  const wanted = Math.max(1, Math.min(validationEvery, Math.ceil(totalSteps / 10)));
  let checkpointEvery = wanted;
  while (validationEvery % checkpointEvery !== 0) checkpointEvery--;
  return { stepsPerEpoch, totalSteps, validationEvery, checkpointEvery };
}

/** The 0-based epoch an optimizer step (1-based) falls in. */
export function epochOfStep(step: number, stepsPerEpoch: number): number {
  return Math.floor((Math.max(1, step) - 1) / stepsPerEpoch);
}
