// Typed loader for the native trainer addon (native/addon/trainer-addon.cpp over native/trainer/strata_trainer.h),
// built at `npm install` into native/build/strata-trainer.node. The training driver runs it in a child
// process; tests load it directly.
//
// Every computing call is an async worker on libuv's thread pool (the event loop stays free), one call at a
// time per trainer. Errors from the core are Errors whose message is the core's (with its hint), plus `code`
// (STRATA_TRAINER_*) and `status`.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export type LoraTarget = "q" | "k" | "v" | "o" | "gate" | "up" | "down";

/** strata_trainer_config, in JS names; what is left out takes the core's default (see defaultOptions()). */
export interface NativeTrainerOptions {
  modelPath: string;
  /** "lora": only the adapters train, the base stays frozen; "full": every weight (the base must be F32). */
  mode?: "lora" | "full";
  loraRank?: number;
  /** The adapter's delta is scaled by loraAlpha / loraRank. */
  loraAlpha?: number;
  loraTargets?: readonly LoraTarget[] | "all";
  adamBeta1?: number;
  adamBeta2?: number;
  adamEpsilon?: number;
  /** Decoupled (AdamW). */
  weightDecay?: number;
  /** Global-norm clipping; 0 turns it off. */
  maxGradNorm?: number;
  threads?: number;
  /** Longest sequence a batch (or forwardLogits) may hold. */
  maxTokens?: number;
  /** LoRA A initialisation. */
  seed?: number | bigint;
  /** Folder with libggml-cpu-*.so; default: the folder of the linked libggml-base.so. */
  backendDir?: string;
  /**
   * Where weights, optimizer state and the graph live: "cpu" (default), or "gpu" — the first GPU backend of
   * the linked ggml, which node-llama-cpp's prebuilt CPU binaries do not have (scripts/cuda-smoke.sh builds one).
   */
  device?: "cpu" | "gpu";
}

/**
 * One packed sequence: targets[i] is the token to predict after tokens[i], counted in the loss where
 * lossMask[i] is non-zero (default: everywhere). documentIds (default: one document) make attention
 * block-diagonal and restart positions at each document boundary.
 */
export interface TrainingBatch {
  tokens: Int32Array | readonly number[];
  targets: Int32Array | readonly number[];
  lossMask?: Uint8Array | readonly (number | boolean)[];
  documentIds?: Int32Array | readonly number[];
}

/** Reported after each micro-batch of a step has been accumulated. */
export interface StepProgress {
  batchIndex: number;
  batchCount: number;
  /** Mean cross-entropy of this micro-batch. */
  loss: number;
  trainedTokens: number;
}

export interface StepOptions {
  learningRate: number;
  /** Runs on the main thread. If it throws, the step still completes and its promise rejects with that error. */
  onProgress?: (progress: StepProgress) => void;
}

export interface StepResult {
  /** Mean cross-entropy over every trained position of the step. */
  loss: number;
  /** Global L2 norm of the mean gradient, before clipping. */
  gradientNorm: number;
  trainedTokens: number;
  /** Optimizer steps taken so far, this one included. */
  step: number;
}

export interface NativeTrainer {
  readonly vocabularySize: number;
  readonly trainableParameters: number;
  readonly maxTokens: number;
  readonly disposed: boolean;
  /** n_tokens × vocabularySize logits, row i after tokens[0..i] (one document). */
  forwardLogits(tokens: Int32Array | readonly number[]): Promise<Float32Array>;
  /** Mean cross-entropy of a batch with the current weights; nothing is updated. */
  loss(batch: TrainingBatch): Promise<number>;
  /** One optimizer step over the micro-batches (gradient accumulation), then AdamW. */
  step(batches: readonly TrainingBatch[], options: StepOptions): Promise<StepResult>;
  /**
   * The LoRA A/B trained so far as llama.cpp's adapter GGUF (loads in node-llama-cpp with
   * `createContext({ lora })`). LoRA mode only. Written to `<path>.tmp`, then renamed.
   */
  saveLoraAdapter(path: string): Promise<void>;
  /**
   * A complete model GGUF with (alpha/r)·B·A folded into each LoRA target (in full mode: the trained
   * weights); matrices in `type` (default f32), vectors F32, every key of the base kept.
   */
  saveMerged(path: string, options?: SaveMergedOptions): Promise<void>;
  /** Frees the native trainer (after the call in flight, if any). Idempotent; later calls reject. */
  /**
   * Writes every trainable parameter, its AdamW moments and the step counter (bit-exact) to path, atomically
   * (path.tmp, then rename). Only between steps. Resolves to the step count.
   */
  saveCheckpoint(path: string): Promise<number>;
  /**
   * Restores a saveCheckpoint file into a trainer opened with the same model, mode, rank and targets; a bad
   * file rejects and leaves the trainer as it was. Resolves to the restored step count.
   */
  loadCheckpoint(path: string): Promise<number>;
  dispose(): void;
}

export interface SaveMergedOptions {
  type?: "f32" | "f16";
}

/** llama.cpp's quantization types that `quantize` accepts (case-insensitive). */
export const quantizationTypes = [
  "f32",
  "f16",
  "bf16",
  "q8_0",
  "q4_0",
  "q4_1",
  "q5_0",
  "q5_1",
  "q2_k",
  "q3_k_s",
  "q3_k_m",
  "q3_k_l",
  "q4_k_s",
  "q4_k_m",
  "q5_k_s",
  "q5_k_m",
  "q6_k",
] as const;
export type QuantizationType = (typeof quantizationTypes)[number];

export interface QuantizeOptions {
  /** 0 or absent: all cores. */
  threads?: number;
  /** Folder with libllama*.so; default: the folder of the linked libggml-base.so. */
  libraryDir?: string;
}

export interface NativeTrainerModule {
  openTrainer(options: NativeTrainerOptions): Promise<NativeTrainer>;
  /**
   * llama.cpp's own quantizer (llama_model_quantize of the prebuilt libllama) on libuv's thread pool: reads
   * the model GGUF at inputPath, writes outputPath. No trainer needed.
   */
  quantize(
    inputPath: string,
    outputPath: string,
    type: QuantizationType | Uppercase<QuantizationType>,
    options?: QuantizeOptions,
  ): Promise<void>;
  /** What runs the large F32 matrix products: the host's OpenBLAS ("OpenBLAS 0.3.21 (Cooperlake)") or ggml's kernel. */
  matmulKernel(): string;
  defaultOptions(): Required<
    Omit<NativeTrainerOptions, "modelPath" | "backendDir" | "loraTargets" | "seed" | "device">
  > & {
    loraTargets: LoraTarget[];
    seed: number;
  };
}

export type NativeTrainerErrorCode =
  | "STRATA_TRAINER_INVALID_ARGUMENT"
  | "STRATA_TRAINER_UNSUPPORTED_MODEL"
  | "STRATA_TRAINER_IO_ERROR"
  | "STRATA_TRAINER_BACKEND_ERROR"
  | "STRATA_TRAINER_INTERNAL_ERROR"
  | "STRATA_TRAINER_BUSY"
  | "STRATA_TRAINER_DISPOSED";

const buildDirectory = fileURLToPath(new URL("../../native/build/", import.meta.url));
export const nativeTrainerPath = `${buildDirectory}strata-trainer.node`;
export const nativeTrainerBuildFailureLog = `${buildDirectory}build-failure.log`;

/** The addon is not there or does not load; the message says which build step failed and how to rebuild. */
export class NativeTrainerUnavailableError extends Error {
  override readonly name = "NativeTrainerUnavailableError";
}

let loaded: NativeTrainerModule | undefined;

export function loadNativeTrainer(): NativeTrainerModule {
  if (loaded) return loaded;
  if (!existsSync(nativeTrainerPath)) throw new NativeTrainerUnavailableError(missingAddonMessage());
  try {
    loaded = createRequire(import.meta.url)(nativeTrainerPath) as NativeTrainerModule;
  } catch (error) {
    throw new NativeTrainerUnavailableError(
      `the native trainer ${nativeTrainerPath} does not load: ${(error as Error).message}; rebuild it with \`npm run build:native\``,
      { cause: error },
    );
  }
  return loaded;
}

function missingAddonMessage(): string {
  if (existsSync(nativeTrainerBuildFailureLog)) {
    const log = readFileSync(nativeTrainerBuildFailureLog, "utf8");
    const step = log
      .split("\n")
      .filter((line) => line.startsWith("strata trainer build: "))
      .at(-1)
      ?.slice("strata trainer build: ".length);
    return (
      `the native trainer was not built: the build at npm install failed (${step ?? "see the log"}); ` +
      `full log: ${nativeTrainerBuildFailureLog}. Fix that, then run \`npm run build:native\``
    );
  }
  return (
    `the native trainer is not built (${nativeTrainerPath} is missing; npm install builds it unless scripts ` +
    "were skipped or STRATA_SKIP_NATIVE_BUILD=1): run `npm run build:native`"
  );
}
