// The shape of a Llama-architecture model (as llama.cpp's "llama" architecture reads it) and two presets
// small enough to create and run on a laptop CPU: tiny for tests, small for demos.

export interface LlamaModelDimensions {
  vocabularySize: number;
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  feedForwardLength: number;
  headCount: number;
  /** Fewer KV heads than heads is grouped-query attention, as in Llama 3. */
  headCountKv: number;
  ropeFrequencyBase: number;
  rmsNormEpsilon: number;
  /** When true there is no output.weight and llama.cpp reuses token_embd.weight for the output projection. */
  tiedEmbeddings: boolean;
}

/** ≈4.9M parameters with its 8k vocabulary. The 640-wide feed-forward keeps every row a multiple of 32 for Q8_0. */
export const tinyLlamaDimensions: Readonly<LlamaModelDimensions> = {
  vocabularySize: 8192,
  contextLength: 512,
  embeddingLength: 256,
  blockCount: 4,
  feedForwardLength: 640,
  headCount: 4,
  headCountKv: 2,
  ropeFrequencyBase: 10_000,
  rmsNormEpsilon: 1e-5,
  tiedEmbeddings: true,
};

/** ≈32M parameters with its 16k vocabulary. */
export const smallLlamaDimensions: Readonly<LlamaModelDimensions> = {
  vocabularySize: 16_384,
  contextLength: 1024,
  embeddingLength: 512,
  blockCount: 8,
  feedForwardLength: 1408,
  headCount: 8,
  headCountKv: 4,
  ropeFrequencyBase: 10_000,
  rmsNormEpsilon: 1e-5,
  tiedEmbeddings: true,
};

export const llamaModelPresets = {
  tiny: tinyLlamaDimensions,
  small: smallLlamaDimensions,
} as const;

export type LlamaModelPresetName = keyof typeof llamaModelPresets;

export function headDimension(dimensions: LlamaModelDimensions): number {
  return dimensions.embeddingLength / dimensions.headCount;
}

/** Every weight of the model, norms included: what the tensors of its GGUF file add up to. */
export function parameterCount(dimensions: LlamaModelDimensions): number {
  const embedding = dimensions.embeddingLength;
  const keyValueWidth = headDimension(dimensions) * dimensions.headCountKv;
  const attention = 2 * embedding * embedding + 2 * embedding * keyValueWidth;
  const feedForward = 3 * embedding * dimensions.feedForwardLength;
  const norms = 2 * embedding;
  const perBlock = attention + feedForward + norms;
  const tokenEmbedding = dimensions.vocabularySize * embedding;
  const output = dimensions.tiedEmbeddings ? 0 : dimensions.vocabularySize * embedding;
  return tokenEmbedding + output + embedding + dimensions.blockCount * perBlock;
}

/** What llama.cpp would reject or mis-run, as readable problems; empty when the dimensions are usable. */
export function llamaModelDimensionProblems(dimensions: LlamaModelDimensions): string[] {
  const problems: string[] = [];
  const counts = [
    "vocabularySize",
    "contextLength",
    "embeddingLength",
    "blockCount",
    "feedForwardLength",
    "headCount",
    "headCountKv",
  ] as const;
  for (const field of counts) {
    const value = dimensions[field];
    if (!Number.isSafeInteger(value) || value <= 0 || value > 0xffffffff) {
      problems.push(`${field} must be a positive 32-bit integer, got ${value}`);
    }
  }
  if (problems.length > 0) return problems;
  if (dimensions.embeddingLength % dimensions.headCount !== 0) {
    problems.push(
      `embeddingLength ${dimensions.embeddingLength} is not divisible by headCount ${dimensions.headCount}`,
    );
  } else if (headDimension(dimensions) % 2 !== 0) {
    problems.push(
      `the head dimension ${headDimension(dimensions)} must be even for rotary position embeddings`,
    );
  }
  if (dimensions.headCount % dimensions.headCountKv !== 0) {
    problems.push(
      `headCount ${dimensions.headCount} is not a multiple of headCountKv ${dimensions.headCountKv}`,
    );
  }
  if (!(dimensions.ropeFrequencyBase > 0) || !Number.isFinite(dimensions.ropeFrequencyBase)) {
    problems.push(`ropeFrequencyBase must be a positive number, got ${dimensions.ropeFrequencyBase}`);
  }
  if (!(dimensions.rmsNormEpsilon > 0) || !(dimensions.rmsNormEpsilon < 1)) {
    problems.push(`rmsNormEpsilon must be in (0, 1), got ${dimensions.rmsNormEpsilon}`);
  }
  return problems;
}
