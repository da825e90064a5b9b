// The facts about a decoder-only model in GGUF that a catalog needs, read from the keys llama.cpp itself uses
// ("<architecture>.context_length", ...), which are the same for llama and its relatives (mistral, qwen2, ...).
import type { GgufHeader } from "./gguf-header.js";
import { type GgufMetadataValue, metadataNumber, metadataString } from "./gguf-metadata-value.js";
import { llamaFileTypeName } from "./llama-file-type.js";

export interface LlamaFamilyModelSummary {
  architecture: string;
  name?: string;
  /** Sum of the element counts of all tensors. */
  parameterCount: number;
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  vocabularySize: number;
  /** general.file_type as llama-quantize names it ("Q4_K_M"), else the most common tensor type ("Q8_0"). */
  quantization: string;
  chatTemplate?: string;
  tokenizerModel?: string;
}

export type SummarizeLlamaFamilyModelResult =
  | { ok: true; summary: LlamaFamilyModelSummary }
  | { ok: false; reason: string };

export function summarizeLlamaFamilyModel(header: GgufHeader): SummarizeLlamaFamilyModelResult {
  const metadata = header.metadata;
  const architecture = metadataString(metadata.get("general.architecture"));
  if (architecture === undefined || architecture.length === 0) {
    return { ok: false, reason: "general.architecture is missing or not a string" };
  }

  const required = {
    contextLength: `${architecture}.context_length`,
    embeddingLength: `${architecture}.embedding_length`,
    blockCount: `${architecture}.block_count`,
    headCount: `${architecture}.attention.head_count`,
  };
  const values: Partial<Record<keyof typeof required, number>> = {};
  for (const [field, key] of Object.entries(required) as [keyof typeof required, string][]) {
    const value = positiveInteger(metadata.get(key));
    if (value === undefined) return { ok: false, reason: `${key} is missing or not a positive integer` };
    values[field] = value;
  }
  const { contextLength, embeddingLength, blockCount, headCount } = values as Record<
    keyof typeof required,
    number
  >;
  // llama.cpp defaults the KV head count to the head count (no grouped-query attention).
  const headCountKv = positiveInteger(metadata.get(`${architecture}.attention.head_count_kv`)) ?? headCount;

  const vocabularySize = readVocabularySize(header, architecture);
  if (vocabularySize === undefined) {
    return {
      ok: false,
      reason: `neither ${architecture}.vocab_size, tokenizer.ggml.tokens nor token_embd.weight gives the vocabulary size`,
    };
  }

  const summary: LlamaFamilyModelSummary = {
    architecture,
    parameterCount: header.tensors.reduce((sum, tensor) => sum + tensor.elementCount, 0),
    contextLength,
    embeddingLength,
    blockCount,
    headCount,
    headCountKv,
    vocabularySize,
    quantization: quantizationName(header),
  };
  const name = metadataString(metadata.get("general.name"));
  if (name !== undefined) summary.name = name;
  const chatTemplate = metadataString(metadata.get("tokenizer.chat_template"));
  if (chatTemplate !== undefined) summary.chatTemplate = chatTemplate;
  const tokenizerModel = metadataString(metadata.get("tokenizer.ggml.model"));
  if (tokenizerModel !== undefined) summary.tokenizerModel = tokenizerModel;
  return { ok: true, summary };
}

/** A positive integer, or for per-layer arrays (some architectures vary head counts by layer) their maximum. */
function positiveInteger(value: GgufMetadataValue | undefined): number | undefined {
  if (value?.type === "array") {
    if (value.elementType === "bool" || value.elementType === "string" || value.values.length === 0)
      return undefined;
    const numbers = value.values.map((element) => Number(element));
    const largest = Math.max(...numbers);
    return Number.isSafeInteger(largest) && largest > 0 ? largest : undefined;
  }
  const number = metadataNumber(value);
  return number !== undefined && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function readVocabularySize(header: GgufHeader, architecture: string): number | undefined {
  const declared = positiveInteger(header.metadata.get(`${architecture}.vocab_size`));
  if (declared !== undefined) return declared;
  const tokens = header.metadata.get("tokenizer.ggml.tokens");
  if (tokens?.type === "array" && tokens.values.length > 0) return tokens.values.length;
  // As llama.cpp does for vocabulary-less files: the embedding matrix has one row (ne1) per token.
  return header.tensors.find((tensor) => tensor.name === "token_embd.weight")?.dimensions[1];
}

function quantizationName(header: GgufHeader): string {
  const fileType = metadataNumber(header.metadata.get("general.file_type"));
  const named = fileType === undefined ? undefined : llamaFileTypeName(fileType);
  if (named !== undefined) return named;

  // Without a known file type llama.cpp guesses from the most common tensor type; ties go to the type holding
  // more elements so that the answer does not depend on tensor order.
  const byType = new Map<string, { tensors: number; elements: number }>();
  for (const tensor of header.tensors) {
    const tally = byType.get(tensor.typeName) ?? { tensors: 0, elements: 0 };
    tally.tensors += 1;
    tally.elements += tensor.elementCount;
    byType.set(tensor.typeName, tally);
  }
  let dominant: string | undefined;
  let dominantTally = { tensors: 0, elements: 0 };
  for (const [typeName, tally] of byType) {
    const more =
      tally.tensors > dominantTally.tensors ||
      (tally.tensors === dominantTally.tensors && tally.elements > dominantTally.elements);
    if (more) {
      dominant = typeName;
      dominantTally = tally;
    }
  }
  return dominant ?? "unknown";
}
