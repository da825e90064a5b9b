import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultChatTemplate } from "./default-chat-template.js";
import {
  type LlamaModelDimensions,
  llamaModelDimensionProblems,
  parameterCount,
  smallLlamaDimensions,
  tinyLlamaDimensions,
} from "./llama-model-spec.js";
import { llamaTensorLayout } from "./llama-tensor-layout.js";
import { createRandomGenerator, randomLlamaWeights } from "./random-initialization.js";
import { handMadeVocabulary } from "./test-support/hand-made-vocabulary.js";
import { writeLlamaGguf } from "./write-llama-gguf.js";

function layoutTotal(dimensions: LlamaModelDimensions): number {
  return llamaTensorLayout(dimensions).reduce((sum, tensor) => sum + tensor.elementCount, 0);
}

function meanAndStandardDeviation(values: Float32Array): { mean: number; standardDeviation: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, standardDeviation: Math.sqrt(variance) };
}

describe("llama model presets", () => {
  it("sizes tiny at 1–5M and small at about 30M parameters", () => {
    expect(parameterCount(tinyLlamaDimensions)).toBe(4_851_968);
    expect(parameterCount(smallLlamaDimensions)).toBe(31_990_272);
  });

  it("counts exactly the tensors the file will hold, with tied or separate output embeddings", () => {
    for (const dimensions of [tinyLlamaDimensions, smallLlamaDimensions]) {
      expect(parameterCount(dimensions)).toBe(layoutTotal(dimensions));
      const untied = { ...dimensions, tiedEmbeddings: false };
      expect(parameterCount(untied)).toBe(layoutTotal(untied));
      expect(parameterCount(untied) - parameterCount(dimensions)).toBe(
        dimensions.vocabularySize * dimensions.embeddingLength,
      );
    }
  });

  it("accepts the presets and explains unusable dimensions", () => {
    expect(llamaModelDimensionProblems(tinyLlamaDimensions)).toEqual([]);
    expect(llamaModelDimensionProblems(smallLlamaDimensions)).toEqual([]);
    expect(llamaModelDimensionProblems({ ...tinyLlamaDimensions, headCount: 3, headCountKv: 2 })).toEqual([
      "embeddingLength 256 is not divisible by headCount 3",
      "headCount 3 is not a multiple of headCountKv 2",
    ]);
    expect(llamaModelDimensionProblems({ ...tinyLlamaDimensions, blockCount: 0 })).toEqual([
      "blockCount must be a positive 32-bit integer, got 0",
    ]);
  });
});

describe("random initialization", () => {
  const dimensions = { ...tinyLlamaDimensions, vocabularySize: 1000 };
  const layout = llamaTensorLayout(dimensions);
  const tensorNamed = (name: string) => {
    const tensor = layout.find((candidate) => candidate.name === name);
    if (tensor === undefined) throw new Error(`no tensor ${name}`);
    return tensor;
  };

  it("is deterministic per seed and tensor, whatever the order tensors are drawn in", () => {
    const query = tensorNamed("blk.1.attn_q.weight");
    const key = tensorNamed("blk.1.attn_k.weight");
    const first = randomLlamaWeights(dimensions, 7);
    const firstQuery = first(query);
    first(key);
    const second = randomLlamaWeights(dimensions, 7);
    second(key);
    expect(second(query)).toEqual(firstQuery);
    expect(randomLlamaWeights(dimensions, 8)(query)).not.toEqual(firstQuery);
    expect(first(key)).not.toEqual(firstQuery.subarray(0, key.elementCount));
  });

  it("draws normal(0, 0.02), ones for norms and residual projections scaled by 1/sqrt(2·blocks)", () => {
    const weights = randomLlamaWeights(dimensions, 1);
    const embedding = meanAndStandardDeviation(weights(tensorNamed("token_embd.weight")));
    expect(Math.abs(embedding.mean)).toBeLessThan(0.0005);
    expect(embedding.standardDeviation).toBeCloseTo(0.02, 3);
    const residualScale = 1 / Math.sqrt(2 * dimensions.blockCount);
    for (const name of ["blk.0.attn_output.weight", "blk.3.ffn_down.weight"]) {
      expect(meanAndStandardDeviation(weights(tensorNamed(name))).standardDeviation).toBeCloseTo(
        0.02 * residualScale,
        3,
      );
    }
    expect(
      meanAndStandardDeviation(weights(tensorNamed("blk.2.ffn_up.weight"))).standardDeviation,
    ).toBeCloseTo(0.02, 3);
    expect(weights(tensorNamed("output_norm.weight")).every((value) => value === 1)).toBe(true);
  });

  it("produces uniform numbers strictly inside (0, 1)", () => {
    const random = createRandomGenerator(0, "");
    const samples = Array.from({ length: 100_000 }, random);
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(1);
    expect(samples.reduce((sum, value) => sum + value, 0) / samples.length).toBeCloseTo(0.5, 2);
  });
});

describe("writeLlamaGguf's checks", () => {
  const vocabulary = handMadeVocabulary();
  const dimensions = { ...tinyLlamaDimensions, vocabularySize: vocabulary.tokens.length };
  const options = {
    name: "checked",
    dimensions,
    vocabulary,
    chatTemplate: defaultChatTemplate,
    tensorType: "Q8_0" as const,
    weights: randomLlamaWeights(dimensions, 1),
  };

  it("says which tensor cannot be Q8_0 before writing anything", async () => {
    const directory = mkdtempSync(join(tmpdir(), "strata-llama-check-"));
    const attempt = writeLlamaGguf(join(directory, "model.gguf"), {
      ...options,
      dimensions: { ...dimensions, feedForwardLength: 100 },
    });
    await expect(attempt).rejects.toThrow(
      "tensor blk.0.ffn_down.weight has rows of 100 elements (ne0), not a multiple of 32 as Q8_0 needs",
    );
    expect(readdirSync(directory)).toEqual([]);
  });

  it("refuses a vocabulary that does not match the dimensions", async () => {
    const directory = mkdtempSync(join(tmpdir(), "strata-llama-check-"));
    const attempt = writeLlamaGguf(join(directory, "model.gguf"), {
      ...options,
      dimensions: tinyLlamaDimensions,
      vocabulary: { ...vocabulary, eosTokenId: 9000 },
    });
    await expect(attempt).rejects.toThrow(
      `the vocabulary has ${vocabulary.tokens.length} tokens but dimensions.vocabularySize is 8192`,
    );
    await expect(attempt).rejects.toThrow(
      `eosTokenId 9000 is not a token id of the ${vocabulary.tokens.length}-token vocabulary`,
    );
  });
});
