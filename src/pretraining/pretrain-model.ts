// Pretraining from nothing, top to bottom: corpus split → tokenizer trained on the training split + random
// weights (F32) → full training in the training child process, with held-out perplexity before, during and
// after → llama.cpp's quantizer → held-out perplexity of the file that ships. The server's pretraining jobs
// and `npm run build:builtin-models` both run this; a second run on the same work directory resumes from the
// last checkpoint.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { limitTexts } from "../model-files/tokenizer/corpus-texts.js";
import { runCreateModelWorker } from "../model-import/create-local-model.js";
import { loadNativeTrainer } from "../training/native-trainer.js";
import type { StepMetrics, ValidationMetrics } from "../training/run-training.js";
import { startTrainingProcess } from "../training/start-training-process.js";
import type { TrainingConfigInput } from "../training/training-config.js";
import type { PretrainingCorpus } from "./pretraining-corpus.js";
import { fullTrainingSettings, type PretrainingRecipe } from "./pretraining-recipe.js";

export type PretrainingPhase = "tokenizer" | "training" | "quantizing" | "evaluating";

export interface PretrainingEvents {
  onPhase?(phase: PretrainingPhase): void;
  /** Training went on from a checkpoint (a restarted job). */
  onResume?(step: number): void;
  onStep?(metrics: StepMetrics): void;
  onValidation?(metrics: ValidationMetrics): void;
}

export interface PretrainingResult {
  outputPath: string;
  parameterCount: number;
  vocabularySize: number;
  fileSizeBytes: number;
  tokenizerSeconds: number;
  trainingSeconds: number;
  tokensSeen: number;
  /** Held-out perplexity of the random initialisation, the trained F32 model and the shipped file. */
  initialPerplexity: number;
  trainedPerplexity: number;
  shippedPerplexity: number;
  curve: ValidationMetrics[];
}

export type PretrainingOutcome = { status: "completed"; result: PretrainingResult } | { status: "cancelled" };

/** What survives a restart of the run, next to the checkpoints. */
interface Progress {
  parameterCount: number;
  vocabularySize: number;
  tokenizerSeconds: number;
  /** Sum of the step times (a resumed run does not count the steps it replays). */
  trainingSeconds: number;
  lastStep: number;
  curve: ValidationMetrics[];
}

export async function pretrainModel(
  recipe: PretrainingRecipe,
  fullCorpus: PretrainingCorpus,
  workDirectory: string,
  outputPath: string,
  events: PretrainingEvents = {},
  signal?: AbortSignal,
): Promise<PretrainingOutcome> {
  const corpus = recipe.heldOutCharacters
    ? { ...fullCorpus, heldOut: [...limitTexts(fullCorpus.heldOut, recipe.heldOutCharacters)] }
    : fullCorpus;
  await mkdir(workDirectory, { recursive: true });
  const initialPath = join(workDirectory, "initial-f32.gguf");
  const trainedPath = join(workDirectory, "trained-f32.gguf");
  const progressPath = join(workDirectory, "progress.json");
  const progress = await readProgress(progressPath);
  const saveProgress = () => writeJsonAtomically(progressPath, progress);

  // 1. Tokenizer on the training split only, random weights from the seed (deterministic: redone if lost).
  if (!existsSync(initialPath)) {
    events.onPhase?.("tokenizer");
    const started = performance.now();
    const created = await runCreateModelWorker({
      path: initialPath,
      name: recipe.name,
      dimensions: recipe.dimensions,
      seed: recipe.seed,
      tensorType: "F32",
      corpus: { texts: corpus.training },
      maxCorpusBytes: Number.MAX_SAFE_INTEGER,
    });
    if (!created.ok) throw new Error(`the initial model could not be created: ${created.problem}`);
    progress.parameterCount = created.parameterCount;
    progress.vocabularySize = created.vocabularySize;
    progress.tokenizerSeconds = (performance.now() - started) / 1000;
    await saveProgress();
  }

  // 2. Full training of every weight, held-out perplexity from step 0.
  if (signal?.aborted) return { status: "cancelled" };
  events.onPhase?.("training");
  const training = startTrainingProcess(
    {
      modelPath: initialPath,
      checkpointDirectory: join(workDirectory, "checkpoints"),
      training: { kind: "text", documents: corpus.training },
      validation: { kind: "text", documents: corpus.heldOut },
      outputPath: trainedPath,
      ...fullTrainingSettings(recipe),
      checkpointEvery: recipe.checkpointEvery,
    },
    (event) => {
      if (event.type === "started" && event.resumedFromStep > 0) events.onResume?.(event.resumedFromStep);
      if (event.type === "step") {
        if (event.step > progress.lastStep) {
          progress.trainingSeconds += (recipe.rowsPerStep * recipe.sequenceLength) / event.tokensPerSecond;
          progress.lastStep = event.step;
        }
        events.onStep?.(event);
      }
      if (event.type === "validation") {
        const point = { step: event.step, loss: event.loss, perplexity: event.perplexity };
        progress.curve = [...progress.curve.filter((known) => known.step !== event.step), point];
        void saveProgress();
        events.onValidation?.(event);
      }
    },
  );
  const stop = () => training.cancel();
  signal?.addEventListener("abort", stop, { once: true });
  const outcome = await training.outcome.finally(() => signal?.removeEventListener("abort", stop));
  if (outcome.type === "failed") throw new Error(`pretraining failed: ${outcome.error}`);
  if (outcome.type === "exited")
    throw new Error(`the training process ended (${outcome.signal ?? outcome.code})`);
  if (outcome.status === "cancelled") return { status: "cancelled" };
  await saveProgress();

  // 3. The shipped file: llama.cpp's own quantizer, then the same held-out measurement on it.
  events.onPhase?.("quantizing");
  const partialPath = `${outputPath}.partial`;
  await mkdir(dirname(outputPath), { recursive: true });
  if (recipe.quantization === "f32") await writeFile(partialPath, await readFile(trainedPath));
  else
    await loadNativeTrainer().quantize(trainedPath, partialPath, recipe.quantization, {
      threads: recipe.threads,
    });
  events.onPhase?.("evaluating");
  const shippedPerplexity = await heldOutPerplexity(partialPath, corpus, recipe, workDirectory);
  await rename(partialPath, outputPath);

  const first = progress.curve.find((point) => point.step === 0);
  const last = progress.curve.find((point) => point.step === recipe.steps);
  if (!first || !last) throw new Error("the held-out perplexity at the start or the end was not measured");
  const { size } = await stat(outputPath);
  return {
    status: "completed",
    result: {
      outputPath,
      parameterCount: progress.parameterCount,
      vocabularySize: progress.vocabularySize,
      fileSizeBytes: size,
      tokenizerSeconds: progress.tokenizerSeconds,
      trainingSeconds: progress.trainingSeconds,
      tokensSeen: recipe.steps * recipe.rowsPerStep * recipe.sequenceLength,
      initialPerplexity: first.perplexity,
      trainedPerplexity: last.perplexity,
      shippedPerplexity,
      curve: [...progress.curve].sort((a, b) => a.step - b.step),
    },
  };
}

/**
 * Held-out perplexity of any GGUF the trainer reads, in the training child: a run of zero steps that only
 * validates. LoRA mode because the file may be quantized; its B matrices start at zero, so the adapter adds
 * nothing and the loss is the model's own.
 */
export async function heldOutPerplexity(
  modelPath: string,
  corpus: Pick<PretrainingCorpus, "heldOut">,
  recipe: Pick<PretrainingRecipe, "sequenceLength" | "threads">,
  workDirectory: string,
): Promise<number> {
  const checkpointDirectory = join(workDirectory, `evaluation-${process.pid}-${Date.now()}`);
  const config: TrainingConfigInput = {
    modelPath,
    checkpointDirectory,
    training: { kind: "text", documents: corpus.heldOut.slice(0, 1) },
    validation: { kind: "text", documents: corpus.heldOut },
    mode: "lora",
    loraRank: 1,
    loraTargets: ["q"],
    steps: 0,
    validateAtStart: true,
    sequenceLength: recipe.sequenceLength,
    threads: recipe.threads,
  };
  let perplexity: number | undefined;
  const run = startTrainingProcess(config, (event) => {
    if (event.type === "validation") perplexity = event.perplexity;
  });
  const outcome = await run.outcome;
  await rm(checkpointDirectory, { recursive: true, force: true });
  if (outcome.type !== "finished" || perplexity === undefined)
    throw new Error(`measuring held-out perplexity of ${modelPath} failed: ${JSON.stringify(outcome)}`);
  return perplexity;
}

async function readProgress(path: string): Promise<Progress> {
  const empty: Progress = {
    parameterCount: 0,
    vocabularySize: 0,
    tokenizerSeconds: 0,
    trainingSeconds: 0,
    lastStep: 0,
    curve: [],
  };
  try {
    return { ...empty, ...(JSON.parse(await readFile(path, "utf8")) as Partial<Progress>) };
  } catch {
    return empty;
  }
}

let temporaryCounter = 0;

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}
