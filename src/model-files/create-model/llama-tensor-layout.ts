// The tensors of a llama-architecture GGUF under llama.cpp's names (llama-arch.cpp) and shapes in ggml order
// (ne0 first: a weight that maps n_in to n_out features is {n_in, n_out}), as llama_model_llama loads them.
// qwen2 is the same graph plus biases on the query, key and value projections (and NEOX-style RoPE, which the
// architecture name alone tells llama.cpp).
import { headDimension, type LlamaModelDimensions } from "./llama-model-spec.js";

export type LlamaTensorKind =
  | "token-embedding"
  | "output"
  | "norm"
  | "attention-query"
  | "attention-key"
  | "attention-value"
  | "attention-output"
  | "feed-forward-gate"
  | "feed-forward-up"
  | "feed-forward-down"
  | "attention-bias";

export interface LlamaTensorDescription {
  name: string;
  dimensions: number[];
  kind: LlamaTensorKind;
  elementCount: number;
}

export function llamaTensorLayout(
  dimensions: LlamaModelDimensions,
  options: { attentionBiases?: boolean } = {},
): LlamaTensorDescription[] {
  const embedding = dimensions.embeddingLength;
  const vocabulary = dimensions.vocabularySize;
  const keyValueWidth = headDimension(dimensions) * dimensions.headCountKv;
  const feedForward = dimensions.feedForwardLength;
  const tensors: LlamaTensorDescription[] = [];
  const add = (name: string, kind: LlamaTensorKind, shape: number[]) =>
    tensors.push({
      name,
      kind,
      dimensions: shape,
      elementCount: shape.reduce((product, extent) => product * extent, 1),
    });

  add("token_embd.weight", "token-embedding", [embedding, vocabulary]);
  for (let block = 0; block < dimensions.blockCount; block++) {
    const prefix = `blk.${block}`;
    add(`${prefix}.attn_norm.weight`, "norm", [embedding]);
    add(`${prefix}.attn_q.weight`, "attention-query", [embedding, embedding]);
    add(`${prefix}.attn_k.weight`, "attention-key", [embedding, keyValueWidth]);
    add(`${prefix}.attn_v.weight`, "attention-value", [embedding, keyValueWidth]);
    if (options.attentionBiases) {
      add(`${prefix}.attn_q.bias`, "attention-bias", [embedding]);
      add(`${prefix}.attn_k.bias`, "attention-bias", [keyValueWidth]);
      add(`${prefix}.attn_v.bias`, "attention-bias", [keyValueWidth]);
    }
    add(`${prefix}.attn_output.weight`, "attention-output", [embedding, embedding]);
    add(`${prefix}.ffn_norm.weight`, "norm", [embedding]);
    add(`${prefix}.ffn_gate.weight`, "feed-forward-gate", [embedding, feedForward]);
    add(`${prefix}.ffn_up.weight`, "feed-forward-up", [embedding, feedForward]);
    add(`${prefix}.ffn_down.weight`, "feed-forward-down", [feedForward, embedding]);
  }
  add("output_norm.weight", "norm", [embedding]);
  if (!dimensions.tiedEmbeddings) add("output.weight", "output", [embedding, vocabulary]);
  return tensors;
}
