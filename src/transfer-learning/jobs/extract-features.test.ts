// A transfer-learning job stopped while embedding resumes from the rows it kept: the texts already embedded are
// not embedded again, and the features are identical to an uninterrupted run's (built-in base model, llama.cpp).
import { mkdtempSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type {
  EmbeddingOptions,
  EngineModel,
  InferenceEngine,
} from "../../inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../../inference/engine/llama-cpp-engine.js";
import { extractFeatures } from "./extract-features.js";
import { FeatureCheckpoint, featureFingerprint } from "./feature-checkpoint.js";

const engine = new LlamaCppEngine({ threads: 1 });
const model: EngineModel = {
  modelId: "strata.tiny-base-v1",
  filePath: fileURLToPath(new URL("../../../models/strata.tiny-base-v1.gguf", import.meta.url)),
};
const texts = Array.from(
  { length: 40 },
  (_, index) => `Message ${index}: the Congress shall meet ${index % 7} times.`,
);
const options = { maxTokens: 32 };

afterAll(() => engine.dispose());

/** The real engine, counting the texts it embeds and aborting the run after `abortAfter` of them. */
function countingEngine(abortAfter: number, controller: AbortController) {
  const counted = { texts: 0 };
  const wrapped = {
    embed: async (embedModel: EngineModel, batch: string[], embedOptions?: EmbeddingOptions) => {
      const vectors = await engine.embed(embedModel, batch, embedOptions);
      counted.texts += batch.length;
      if (counted.texts >= abortAfter) controller.abort();
      return vectors;
    },
  } as unknown as InferenceEngine;
  return { wrapped, counted };
}

async function run(checkpoint: FeatureCheckpoint | undefined, abortAfter = Number.POSITIVE_INFINITY) {
  const controller = new AbortController();
  const { wrapped, counted } = countingEngine(abortAfter, controller);
  const vectors = await extractFeatures({
    engine: wrapped,
    model,
    texts,
    options,
    signal: controller.signal,
    onProgress: async () => undefined,
    ...(checkpoint ? { checkpoint } : {}),
  }).catch((error: unknown) => {
    if (controller.signal.aborted) return undefined;
    throw error;
  });
  return { vectors, embedded: counted.texts };
}

describe("extractFeatures with a checkpoint", () => {
  it("resumes after a stop without embedding again what it kept, and gives the same features", async () => {
    const reference = await run(undefined);
    expect(reference.embedded).toBe(texts.length);

    const directory = mkdtempSync(join(tmpdir(), "strata-features-"));
    const fingerprint = await featureFingerprint({ modelFile: model.filePath, maxTokens: 32, texts });
    const stopped = await run(new FeatureCheckpoint(directory, fingerprint), 20);
    expect(stopped.vectors).toBeUndefined();
    expect(stopped.embedded).toBe(32); // two chunks of 16 were embedded and kept before the stop took effect

    // A torn last row (the server died mid-write) is dropped, and that text embedded again.
    const rows = join(directory, "features.f32");
    truncateSync(rows, statSync(rows).size - 8);
    const resumed = await run(new FeatureCheckpoint(directory, fingerprint));
    expect(resumed.embedded).toBe(texts.length - 31);
    expect(resumed.vectors).toEqual(reference.vectors);

    // Other texts (or another model file or token limit) do not reuse the rows.
    const other = await featureFingerprint({ modelFile: model.filePath, maxTokens: 16, texts });
    expect(other).not.toBe(fingerprint);
    expect(await new FeatureCheckpoint(directory, other).load()).toEqual([]);
  });
});
