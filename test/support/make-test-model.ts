// A real llama-architecture GGUF made in seconds at test time: a byte-level BPE vocabulary trained on a slice
// of the State of the Union speeches, random weights from a seed. No fixture binaries are committed.
import {
  type CreatedLlamaModel,
  createLlamaModel,
} from "../../src/model-files/create-model/create-llama-model.js";
import {
  beginOfTextToken,
  endOfTextToken,
  reservedControlTokens,
} from "../../src/model-files/create-model/default-chat-template.js";
import {
  type LlamaModelDimensions,
  tinyLlamaDimensions,
} from "../../src/model-files/create-model/llama-model-spec.js";
import type { LlamaFamilyArchitecture } from "../../src/model-files/create-model/write-llama-gguf.js";
import type { GgufWritableTensorType } from "../../src/model-files/gguf/write-gguf.js";
import { limitTexts, stateOfTheUnionTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../../src/model-files/tokenizer/train-bpe-tokenizer.js";

export async function makeTestModel(
  path: string,
  options: {
    seed?: number;
    tensorType?: GgufWritableTensorType;
    vocabularySize?: number;
    name?: string;
    contextLength?: number;
    architecture?: LlamaFamilyArchitecture;
    /** Overrides of the tiny shape below (e.g. rows of 256 for the K-quants, an untied output). */
    dimensions?: Partial<Omit<LlamaModelDimensions, "vocabularySize">>;
  } = {},
): Promise<CreatedLlamaModel> {
  const vocabulary = await trainBpeTokenizer({
    texts: limitTexts(stateOfTheUnionTexts({ before: 1900 }), 200_000),
    vocabularySize: options.vocabularySize ?? 512,
    specialTokens: [...reservedControlTokens],
    bosToken: beginOfTextToken,
    eosToken: endOfTextToken,
  });
  return createLlamaModel({
    path,
    ...(options.architecture ? { architecture: options.architecture } : {}),
    name: options.name ?? "strata-test-tiny",
    dimensions: {
      ...tinyLlamaDimensions,
      vocabularySize: vocabulary.tokens.length,
      contextLength: options.contextLength ?? 256,
      embeddingLength: 64,
      blockCount: 2,
      feedForwardLength: 128,
      headCount: 2,
      headCountKv: 1,
      ...options.dimensions,
    },
    vocabulary,
    seed: options.seed ?? 1,
    tensorType: options.tensorType ?? "Q8_0",
  });
}
