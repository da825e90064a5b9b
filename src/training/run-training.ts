// One training run, top to bottom: config → data → memory check → checkpoint check → trainer (resumed from
// its checkpoint if there is one) → loop (step, metrics, validation, checkpoint) → export. Runs inside the
// training child process (start-training-process.ts), so a native abort cannot take the server down.

import { freemem } from "node:os";
import {
  checkpointConfig,
  checkpointConfigDifferences,
  describeDifferences,
} from "./checkpoint-compatibility.js";
import { readCheckpoint, writeCheckpoint } from "./checkpoint-files.js";
import type { PackedRow } from "./data/pack-examples.js";
import { loadTokenizerModel, prepareRows } from "./data/prepare-training-data.js";
import { type DataCursor, dataStart, takeRows } from "./data/row-order.js";
import { describeMemoryEstimate, estimateTrainingMemory } from "./estimate-training-memory.js";
import { learningRateAt } from "./learning-rate-schedule.js";
import { loadNativeTrainer, type NativeTrainer } from "./native-trainer.js";
import { resolveTrainingConfig, type TrainingConfigInput } from "./training-config.js";

export interface StepMetrics {
  step: number;
  loss: number;
  learningRate: number;
  gradientNorm: number;
  trainedTokens: number;
  tokensPerSecond: number;
}
export interface ValidationMetrics {
  step: number;
  loss: number;
  perplexity: number;
}
export interface TrainingEvents {
  onStart?(facts: {
    resumedFromStep: number;
    rows: number;
    validationRows: number;
    memory: string;
    matmulKernel: string;
  }): void;
  onStep?(metrics: StepMetrics): void;
  onValidation?(metrics: ValidationMetrics): void;
  onCheckpoint?(checkpoint: { step: number }): void;
}
export interface TrainingOutcome {
  status: "completed" | "cancelled";
  step: number;
  outputPath?: string;
}

/** The checkpoint in checkpointDirectory was written by a run with other settings; `fields` names them. */
export class CheckpointMismatchError extends Error {
  override readonly name = "CheckpointMismatchError";
  constructor(
    message: string,
    readonly fields: readonly string[],
  ) {
    super(message);
  }
}

/** The run would not fit: nothing was allocated. The message carries the numbers. */
export class TrainingRefusedError extends Error {
  override readonly name = "TrainingRefusedError";
}

export async function runTraining(
  input: TrainingConfigInput,
  events: TrainingEvents = {},
  signal?: AbortSignal,
): Promise<TrainingOutcome> {
  // 1. Config: every default in one place.
  const config = resolveTrainingConfig(input);

  // 2. Data: the base model's tokenizer and chat template, packed rows, held-out rows.
  const tokenizerModel = await loadTokenizerModel(config.modelPath);
  const rows = prepareRows(tokenizerModel, config.training, config.sequenceLength);
  const validationRows = config.validation
    ? prepareRows(tokenizerModel, config.validation, config.sequenceLength)
    : [];

  // 3. Memory: refuse before allocating anything.
  const estimate = estimateTrainingMemory(tokenizerModel, config);
  await tokenizerModel.dispose();
  const limit = config.memoryLimitBytes ?? freemem();
  if (estimate.totalBytes > limit)
    throw new TrainingRefusedError(
      `the run needs about ${describeMemoryEstimate(estimate)}, but only ${(limit / 2 ** 20).toFixed(1)} MiB are available; ` +
        "lower sequenceLength or loraRank, use LoRA instead of full fine-tuning, or free memory",
    );

  // 4. The checkpoint to resume, if any: only one this config may continue (checkpoint-compatibility.ts).
  const settings = checkpointConfig(config);
  const checkpoint = await readCheckpoint(config.checkpointDirectory);
  if (checkpoint.kind === "invalid") throw new Error(`cannot resume: ${checkpoint.error}`);
  if (checkpoint.kind === "found") {
    const differences = checkpointConfigDifferences(checkpoint.manifest.config, settings);
    if (differences.length > 0)
      throw new CheckpointMismatchError(
        `cannot resume the checkpoint at step ${checkpoint.manifest.step} in ${config.checkpointDirectory}: ` +
          `this run's config differs in ${describeDifferences(differences)}; ` +
          "start the run in a new checkpointDirectory, or use the checkpoint's settings",
        differences.map((difference) => difference.field),
      );
  }

  // 5. Trainer, resumed exactly from the last checkpoint when there is one.
  const native = loadNativeTrainer();
  const trainer = await native.openTrainer({
    modelPath: config.modelPath,
    mode: config.mode,
    loraRank: config.loraRank,
    loraAlpha: config.loraAlpha,
    loraTargets: config.loraTargets,
    adamBeta1: config.adamBeta1,
    adamBeta2: config.adamBeta2,
    adamEpsilon: config.adamEpsilon,
    weightDecay: config.weightDecay,
    maxGradNorm: config.maxGradNorm,
    threads: config.threads,
    maxTokens: config.sequenceLength,
    seed: config.seed,
  });
  try {
    let step = 0;
    let cursor: DataCursor = dataStart;
    if (checkpoint.kind === "found") {
      step = await trainer.loadCheckpoint(checkpoint.statePath);
      cursor = checkpoint.manifest.cursor;
    }
    events.onStart?.({
      matmulKernel: native.matmulKernel(),
      resumedFromStep: step,
      rows: rows.length,
      validationRows: validationRows.length,
      memory: describeMemoryEstimate(estimate),
    });

    if (config.validateAtStart && step === 0 && validationRows.length > 0) {
      const loss = await validationLoss(trainer, validationRows);
      events.onValidation?.({ step, loss, perplexity: Math.exp(loss) });
    }

    // 6. The loop.
    while (step < config.steps) {
      if (signal?.aborted) return { status: "cancelled", step };
      const batch = takeRows(rows, cursor, config.rowsPerStep, config.seed);
      const learningRate = learningRateAt(step, config);
      const started = performance.now();
      const result = await trainer.step(batch.rows, { learningRate });
      const seconds = (performance.now() - started) / 1000;
      step = result.step;
      cursor = batch.next;
      const tokens = batch.rows.reduce((sum, row) => sum + row.tokens.length, 0);
      events.onStep?.({
        step,
        loss: result.loss,
        learningRate,
        gradientNorm: result.gradientNorm,
        trainedTokens: result.trainedTokens,
        tokensPerSecond: tokens / Math.max(seconds, 1e-9),
      });
      if (validationRows.length > 0 && (step % config.validationEvery === 0 || step === config.steps)) {
        const loss = await validationLoss(trainer, validationRows);
        events.onValidation?.({ step, loss, perplexity: Math.exp(loss) });
      }
      if (step % config.checkpointEvery === 0 || step === config.steps) {
        await writeCheckpoint(config.checkpointDirectory, trainer, { step, cursor, config: settings });
        events.onCheckpoint?.({ step });
      }
    }

    // 7. Export.
    if (config.outputPath && config.steps > 0) {
      if (config.mode === "lora") await trainer.saveLoraAdapter(config.outputPath);
      else await trainer.saveMerged(config.outputPath);
    }
    const exported = config.outputPath && config.steps > 0;
    return { status: "completed", step, ...(exported ? { outputPath: config.outputPath } : {}) };
  } finally {
    trainer.dispose();
  }
}

/** Token-weighted mean cross-entropy over the held-out rows. */
export async function validationLoss(trainer: NativeTrainer, rows: readonly PackedRow[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const trained = row.lossMask.reduce((total, value) => total + value, 0);
    sum += (await trainer.loss(row)) * trained;
    count += trained;
  }
  return sum / count;
}
