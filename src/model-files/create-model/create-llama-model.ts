// Creates a freshly initialised llama-architecture model file that llama.cpp can load: the starting point for
// training a model from scratch, and a real model for tests that is created in a second instead of downloaded.
import type { GgufWritableTensorType } from "../gguf/write-gguf.js";
import type { BpeVocabulary } from "../tokenizer/bpe-vocabulary.js";
import { defaultChatTemplate } from "./default-chat-template.js";
import type { LlamaModelDimensions } from "./llama-model-spec.js";
import { randomLlamaWeights } from "./random-initialization.js";
import { type LlamaFamilyArchitecture, writeLlamaGguf } from "./write-llama-gguf.js";

export interface CreateLlamaModelOptions {
  path: string;
  /** "llama" when absent; "qwen2" adds q/k/v biases. */
  architecture?: LlamaFamilyArchitecture;
  name: string;
  /** dimensions.vocabularySize must equal the vocabulary's token count. */
  dimensions: LlamaModelDimensions;
  vocabulary: BpeVocabulary;
  /** The same seed gives a byte-identical file. */
  seed: number;
  tensorType: GgufWritableTensorType;
  /** Defaults to defaultChatTemplate, whose control tokens the vocabulary must contain. */
  chatTemplate?: string;
}

export interface CreatedLlamaModel {
  path: string;
  parameterCount: number;
  fileSizeBytes: number;
}

export async function createLlamaModel(options: CreateLlamaModelOptions): Promise<CreatedLlamaModel> {
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new Error(`the seed must be a non-negative integer, got ${options.seed}`);
  }
  const written = await writeLlamaGguf(options.path, {
    ...(options.architecture ? { architecture: options.architecture } : {}),
    name: options.name,
    dimensions: options.dimensions,
    vocabulary: options.vocabulary,
    chatTemplate: options.chatTemplate ?? defaultChatTemplate,
    tensorType: options.tensorType,
    weights: randomLlamaWeights(options.dimensions, options.seed),
  });
  return { path: written.path, parameterCount: written.parameterCount, fileSizeBytes: written.fileSizeBytes };
}
