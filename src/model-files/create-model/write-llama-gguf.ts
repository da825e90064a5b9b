// Writes a model of llama.cpp's "llama" (or "qwen2": the same with q/k/v biases) architecture with a byte-level
// BPE ("gpt2") tokenizer as GGUF, with the metadata keys and value types llama.cpp checks when it loads one (it
// rejects, say, a uint64 context length).
import {
  float32Entry,
  type GgufMetadataEntry,
  stringEntry,
  uint32Entry,
} from "../gguf/gguf-metadata-value.js";
import { llamaFileTypeForTensorType } from "../gguf/llama-file-type.js";
import { q8_0BlockSize } from "../gguf/quantize-q8-0.js";
import { type GgufTensorToWrite, type GgufWritableTensorType, writeGguf } from "../gguf/write-gguf.js";
import type { BpeVocabulary } from "../tokenizer/bpe-vocabulary.js";
import {
  headDimension,
  type LlamaModelDimensions,
  llamaModelDimensionProblems,
  parameterCount,
} from "./llama-model-spec.js";
import { type LlamaTensorDescription, llamaTensorLayout } from "./llama-tensor-layout.js";
import type { LlamaWeightSource } from "./random-initialization.js";

export type LlamaFamilyArchitecture = "llama" | "qwen2";

export interface WriteLlamaGgufOptions {
  /** general.architecture; "llama" when absent. */
  architecture?: LlamaFamilyArchitecture;
  /** general.name */
  name: string;
  dimensions: LlamaModelDimensions;
  vocabulary: BpeVocabulary;
  /** tokenizer.chat_template, a Jinja template. */
  chatTemplate: string;
  /** The type of the matrices; the RMS norm weights stay F32 whatever this is, as llama.cpp's converter does. */
  tensorType: GgufWritableTensorType;
  weights: LlamaWeightSource;
}

export interface WrittenLlamaGguf {
  path: string;
  fileSizeBytes: number;
  parameterCount: number;
}

const ggmlQuantizationVersion = 2; // GGML_QNT_VERSION, written by llama.cpp's converter and quantizer

/** Throws before writing anything when the dimensions, vocabulary and tensor type do not fit together. */
export async function writeLlamaGguf(
  path: string,
  options: WriteLlamaGgufOptions,
): Promise<WrittenLlamaGguf> {
  const { dimensions, vocabulary, tensorType } = options;
  const problems = [
    ...llamaModelDimensionProblems(dimensions),
    ...vocabularyProblems(vocabulary, dimensions),
  ];
  const architecture = options.architecture ?? "llama";
  const layout =
    problems.length === 0 ? llamaTensorLayout(dimensions, { attentionBiases: architecture === "qwen2" }) : [];
  if (tensorType === "Q8_0") {
    for (const tensor of layout) {
      const rowLength = tensor.dimensions[0] ?? 0;
      if (isMatrix(tensor) && rowLength % q8_0BlockSize !== 0) {
        problems.push(
          `tensor ${tensor.name} has rows of ${rowLength} elements (ne0), not a multiple of ${q8_0BlockSize} as Q8_0 needs`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(`Cannot write llama model ${path}:\n- ${problems.join("\n- ")}`);

  const tensors: GgufTensorToWrite[] = layout.map((tensor) => ({
    name: tensor.name,
    dimensions: tensor.dimensions,
    type: isMatrix(tensor) ? tensorType : "F32",
    values: () => options.weights(tensor),
  }));
  const written = await writeGguf(path, { metadata: llamaMetadata(options), tensors });
  const biases = layout
    .filter((tensor) => tensor.kind === "attention-bias")
    .reduce((sum, tensor) => sum + tensor.elementCount, 0);
  return { ...written, parameterCount: parameterCount(dimensions) + biases };
}

/** Norm weights and biases stay F32 whatever the matrices' type, as llama.cpp's converter writes them. */
function isMatrix(tensor: LlamaTensorDescription): boolean {
  return tensor.kind !== "norm" && tensor.kind !== "attention-bias";
}

function llamaMetadata(options: WriteLlamaGgufOptions): GgufMetadataEntry[] {
  const { dimensions, vocabulary } = options;
  const architecture = options.architecture ?? "llama";
  const entries: GgufMetadataEntry[] = [
    stringEntry("general.architecture", architecture),
    stringEntry("general.name", options.name),
    uint32Entry("general.file_type", llamaFileTypeForTensorType[options.tensorType]),
    uint32Entry("general.quantization_version", ggmlQuantizationVersion),
    uint32Entry(`${architecture}.vocab_size`, dimensions.vocabularySize),
    uint32Entry(`${architecture}.context_length`, dimensions.contextLength),
    uint32Entry(`${architecture}.embedding_length`, dimensions.embeddingLength),
    uint32Entry(`${architecture}.block_count`, dimensions.blockCount),
    uint32Entry(`${architecture}.feed_forward_length`, dimensions.feedForwardLength),
    uint32Entry(`${architecture}.rope.dimension_count`, headDimension(dimensions)),
    uint32Entry(`${architecture}.attention.head_count`, dimensions.headCount),
    uint32Entry(`${architecture}.attention.head_count_kv`, dimensions.headCountKv),
    float32Entry(`${architecture}.rope.freq_base`, dimensions.ropeFrequencyBase),
    float32Entry(`${architecture}.attention.layer_norm_rms_epsilon`, dimensions.rmsNormEpsilon),
    stringEntry("tokenizer.ggml.model", "gpt2"),
    stringEntry("tokenizer.ggml.pre", vocabulary.preTokenizer),
    {
      key: "tokenizer.ggml.tokens",
      value: { type: "array", elementType: "string", values: vocabulary.tokens },
    },
    {
      key: "tokenizer.ggml.token_type",
      value: { type: "array", elementType: "int32", values: vocabulary.tokenTypes },
    },
    {
      key: "tokenizer.ggml.merges",
      value: { type: "array", elementType: "string", values: vocabulary.merges },
    },
    uint32Entry("tokenizer.ggml.bos_token_id", vocabulary.bosTokenId),
    uint32Entry("tokenizer.ggml.eos_token_id", vocabulary.eosTokenId),
  ];
  if (vocabulary.unknownTokenId !== undefined) {
    entries.push(uint32Entry("tokenizer.ggml.unknown_token_id", vocabulary.unknownTokenId));
  }
  if (vocabulary.paddingTokenId !== undefined) {
    entries.push(uint32Entry("tokenizer.ggml.padding_token_id", vocabulary.paddingTokenId));
  }
  entries.push(
    { key: "tokenizer.ggml.add_bos_token", value: { type: "bool", value: vocabulary.addBosToken } },
    stringEntry("tokenizer.chat_template", options.chatTemplate),
  );
  return entries;
}

function vocabularyProblems(vocabulary: BpeVocabulary, dimensions: LlamaModelDimensions): string[] {
  const problems: string[] = [];
  const size = vocabulary.tokens.length;
  if (size !== dimensions.vocabularySize) {
    problems.push(
      `the vocabulary has ${size} tokens but dimensions.vocabularySize is ${dimensions.vocabularySize}`,
    );
  }
  if (vocabulary.tokenTypes.length !== size) {
    problems.push(`the vocabulary has ${vocabulary.tokenTypes.length} token types for ${size} tokens`);
  }
  const badType = vocabulary.tokenTypes.findIndex((type) => !Number.isInteger(type) || type < 0 || type > 6);
  if (badType >= 0)
    problems.push(`token ${badType} has token type ${vocabulary.tokenTypes[badType]}, not 0–6`);
  const emptyToken = vocabulary.tokens.findIndex((token) => token.length === 0);
  if (emptyToken >= 0) problems.push(`token ${emptyToken} is empty`);
  const badMerge = vocabulary.merges.findIndex((merge) => merge.indexOf(" ", 1) < 0);
  if (badMerge >= 0)
    problems.push(`merge ${badMerge} ("${vocabulary.merges[badMerge]}") is not "left right"`);
  const specialIds = {
    bosTokenId: vocabulary.bosTokenId,
    eosTokenId: vocabulary.eosTokenId,
    unknownTokenId: vocabulary.unknownTokenId,
    paddingTokenId: vocabulary.paddingTokenId,
  };
  for (const [field, id] of Object.entries(specialIds)) {
    if (id !== undefined && (!Number.isInteger(id) || id < 0 || id >= size)) {
      problems.push(`${field} ${id} is not a token id of the ${size}-token vocabulary`);
    }
  }
  if (vocabulary.preTokenizer.length === 0) problems.push("the vocabulary names no pre-tokenizer");
  return problems;
}
