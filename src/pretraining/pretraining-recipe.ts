// A pretraining recipe: everything that decides the model, as data, so that the same recipe run twice gives
// the same model and the recipe file next to a built-in model says exactly how it was made.
import type { LlamaModelDimensions } from "../model-files/create-model/llama-model-spec.js";
import { tinyLlamaDimensions } from "../model-files/create-model/llama-model-spec.js";

export interface PretrainingRecipe {
  /** The model's name inside its GGUF (general.name). */
  name: string;
  dimensions: LlamaModelDimensions;
  /** Weight initialisation (and the data order of training). */
  seed: number;
  steps: number;
  rowsPerStep: number;
  sequenceLength: number;
  learningRate: number;
  minimumLearningRate: number;
  warmupSteps: number;
  weightDecay: number;
  adamBeta2: number;
  maxGradNorm: number;
  /** Held-out perplexity during training every this many steps (and at the start and the end). */
  validationEvery: number;
  checkpointEvery: number;
  /** Measure held-out perplexity on this many characters of the held-out text (default: all of it). */
  heldOutCharacters?: number;
  /** The shipped file's tensor type, made by llama.cpp's quantizer from the trained F32 model. */
  quantization: "q8_0" | "f16" | "f32";
  threads: number;
}

/**
 * strata.tiny-base-v1: the tiny preset (≈4.9M parameters, 8k vocabulary, 512 context) trained from random
 * weights for about 2M tokens (≈1.4 epochs of the corpus), sized to take well under an hour on 2 cores
 * (≈1.3 s a step on a quiet 2-core EPYC).
 * nanoGPT's small-model settings: AdamW with β2 0.99, weight decay 0.1, cosine decay to a tenth.
 */
export const tinyBaseRecipe: PretrainingRecipe = {
  name: "strata.tiny-base-v1",
  dimensions: tinyLlamaDimensions,
  seed: 20_261_129,
  steps: 1000,
  rowsPerStep: 8,
  sequenceLength: 256,
  learningRate: 1e-3,
  minimumLearningRate: 1e-4,
  warmupSteps: 100,
  weightDecay: 0.1,
  adamBeta2: 0.99,
  maxGradNorm: 1,
  validationEvery: 250,
  checkpointEvery: 100,
  quantization: "q8_0",
  threads: 2,
};

/** The optimizer and schedule settings a recipe gives a full-training run (pretraining and the chat tuning). */
export function fullTrainingSettings(
  recipe: Pick<
    PretrainingRecipe,
    | "steps"
    | "rowsPerStep"
    | "sequenceLength"
    | "learningRate"
    | "minimumLearningRate"
    | "warmupSteps"
    | "weightDecay"
    | "adamBeta2"
    | "maxGradNorm"
    | "validationEvery"
    | "seed"
    | "threads"
  >,
) {
  return {
    mode: "full",
    steps: recipe.steps,
    rowsPerStep: recipe.rowsPerStep,
    sequenceLength: recipe.sequenceLength,
    learningRate: recipe.learningRate,
    minimumLearningRate: recipe.minimumLearningRate,
    warmupSteps: recipe.warmupSteps,
    decay: "cosine",
    weightDecay: recipe.weightDecay,
    adamBeta2: recipe.adamBeta2,
    maxGradNorm: recipe.maxGradNorm,
    validationEvery: recipe.validationEvery,
    validateAtStart: true,
    seed: recipe.seed,
    threads: recipe.threads,
  } as const;
}
