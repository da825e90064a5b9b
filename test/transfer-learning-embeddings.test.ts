// The engine's embeddings as transfer learning uses them, on the built-in strata.tiny-base-v1 through llama.cpp:
// mean-pooled over every token (the model's GGUF names no pooling, which llama.cpp would answer with the last
// token's state alone: appending one word then moves the vector as far as an unrelated text — cosine 0.49 — where
// the mean barely moves, 0.999), and cut to the first maxTokens tokens, so text past them changes nothing.
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LlamaCppEngine } from "../src/inference/engine/llama-cpp-engine.js";

const engine = new LlamaCppEngine({ threads: 1 });
const model = {
  modelId: "strata.tiny-base-v1",
  filePath: fileURLToPath(new URL("../models/strata.tiny-base-v1.gguf", import.meta.url)),
};
const text =
  "It was the best of times, and the Congress of the United States shall assemble at least once in every year, and the whale swam on through the quiet sea while the ship followed it";

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [index, value] of a.entries()) {
    dot += value * (b[index] ?? 0);
    normA += value * value;
    normB += (b[index] ?? 0) ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

afterAll(() => engine.dispose());

describe("embeddings for transfer learning", () => {
  it("pool every token: one more word barely moves a text's vector, another text is far away", async () => {
    const [base, appended, other] = await engine.embed(model, [
      text,
      `${text} harpoon`,
      "Gentlemen of the Senate and House of Representatives",
    ]);
    expect(cosine(base ?? [], appended ?? [])).toBeGreaterThan(0.98);
    expect(cosine(base ?? [], other ?? [])).toBeLessThan(0.8);
  });

  it("embed only the first maxTokens tokens, and a text longer than the context without failing", async () => {
    const long = `${text} `.repeat(40);
    const [cut, cutLonger] = await engine.embed(model, [long, `${long} and then something else entirely`], {
      maxTokens: 24,
    });
    expect(cut).toEqual(cutLonger);
    const [untruncated] = await engine.embed(model, [long]);
    expect(untruncated).toHaveLength(256);
    expect(cosine(cut ?? [], untruncated ?? [])).toBeLessThan(0.9999);
  });
});
