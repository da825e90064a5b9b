// One training run's configuration: flat, typed, every default in one place (nanoGPT's config block).
import type { LoraTarget } from "./native-trainer.js";

/** What the run learns from. Conversations and prompt/completion pairs train on the answer only. */
export type TrainingData =
  | { kind: "conversations"; conversations: readonly Conversation[] }
  | { kind: "promptCompletion"; pairs: readonly { prompt: string; completion: string }[] }
  | { kind: "text"; documents: readonly string[] };

export interface ConversationTurn {
  role: "system" | "user" | "assistant";
  content: string;
}
export type Conversation = readonly ConversationTurn[];

export interface TrainingConfig {
  /** The base GGUF: its tokenizer and chat template format the data, its weights are trained. */
  modelPath: string;
  /** Checkpoints (manifest + native state) go here; a run started on a folder with a checkpoint resumes. */
  checkpointDirectory: string;
  training: TrainingData;
  /** Held out: validation loss and perplexity every validationEvery steps. */
  validation?: TrainingData;
  /** Written at the end: a LoRA adapter GGUF (lora mode) or a merged F32 model (full mode). */
  outputPath?: string;

  mode: "lora" | "full";
  loraRank: number;
  loraAlpha: number;
  loraTargets: readonly LoraTarget[] | "all";

  /** Optimizer steps of the whole run; 0 only measures (validateAtStart) and exports nothing new. */
  steps: number;
  /** Packed rows (micro-batches) per optimizer step: gradient accumulation. */
  rowsPerStep: number;
  /** Tokens per packed row; longer documents are split. */
  sequenceLength: number;

  learningRate: number;
  minimumLearningRate: number;
  warmupSteps: number;
  decay: "cosine" | "linear" | "constant";
  weightDecay: number;
  maxGradNorm: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;

  validationEvery: number;
  /** Also measure the validation loss before the first step (the starting point of the curve). */
  validateAtStart: boolean;
  checkpointEvery: number;
  /** Data order and LoRA initialisation. */
  seed: number;
  threads: number;
  /** Refuse to start when the estimate exceeds this (default: the machine's free memory). */
  memoryLimitBytes?: number;
}

export type TrainingConfigInput = Pick<TrainingConfig, "modelPath" | "checkpointDirectory" | "training"> &
  Partial<TrainingConfig>;

export const trainingDefaults = {
  mode: "lora",
  loraRank: 8,
  loraAlpha: 16,
  loraTargets: "all",
  steps: 100,
  rowsPerStep: 4,
  sequenceLength: 256,
  learningRate: 1e-4,
  minimumLearningRate: 0,
  warmupSteps: 0,
  decay: "cosine",
  weightDecay: 0,
  maxGradNorm: 1,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  validationEvery: 50,
  validateAtStart: false,
  checkpointEvery: 50,
  seed: 1,
  threads: 1,
} as const satisfies Partial<TrainingConfig>;

export function resolveTrainingConfig(input: TrainingConfigInput): TrainingConfig {
  return { ...trainingDefaults, ...withoutUndefined(input) };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
