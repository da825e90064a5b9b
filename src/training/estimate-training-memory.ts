// A deliberately generous estimate of a run's peak memory, checked before anything is allocated: the base
// weights, the trainable parameters with their gradient and AdamW moments, and the activations of one row.
import { statSync } from "node:fs";
import type { LlamaModel } from "node-llama-cpp";
import type { TrainingConfig } from "./training-config.js";

export interface MemoryEstimate {
  baseBytes: number;
  trainableParameters: number;
  optimizerBytes: number;
  activationBytes: number;
  totalBytes: number;
}

export function estimateTrainingMemory(model: LlamaModel, config: TrainingConfig): MemoryEstimate {
  const metadata = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
  const architecture = String(metadata.general?.architecture ?? "llama");
  const facts = metadata[architecture] ?? {};
  const embedding = Number(facts.embedding_length ?? 0);
  const feedForward = Number(facts.feed_forward_length ?? 0);
  const layers = Number(facts.block_count ?? 0);
  const tokenizer = metadata.tokenizer?.ggml as { tokens?: unknown[] } | undefined;
  const vocabulary = tokenizer?.tokens?.length ?? Number(facts.vocab_size ?? 0);
  const baseBytes = statSync(config.modelPath).size;

  const perLayerLora = config.loraRank * (8 * embedding + 3 * (embedding + feedForward));
  const trainableParameters = config.mode === "full" ? Math.ceil(baseBytes / 4) : layers * perLayerLora;
  // value + gradient accumulator + Adam m + Adam v, F32
  const optimizerBytes = trainableParameters * 4 * 4;
  // Per token and layer: attention and MLP intermediates kept for the backward pass, plus the logits; ×3 for
  // their gradients and the allocator's slack.
  const perToken = layers * (16 * embedding + 6 * feedForward) + 3 * vocabulary;
  const activationBytes = 3 * 4 * config.sequenceLength * perToken;
  return {
    baseBytes,
    trainableParameters,
    optimizerBytes,
    activationBytes,
    totalBytes: baseBytes + optimizerBytes + activationBytes,
  };
}

export function describeMemoryEstimate(estimate: MemoryEstimate): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return (
    `base ${mib(estimate.baseBytes)} + parameters/gradients/AdamW (${estimate.trainableParameters} trainable) ` +
    `${mib(estimate.optimizerBytes)} + activations ${mib(estimate.activationBytes)} = ${mib(estimate.totalBytes)}`
  );
}
