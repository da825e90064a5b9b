// Features from the frozen base model: each text's mean-pooled final hidden states through the inference
// engine (the same call, on the same model, that serving makes), a chunk of texts at a time so that progress
// is visible and other traffic on the model gets its turn between chunks.
import type {
  EmbeddingOptions,
  EngineModel,
  InferenceEngine,
} from "../../inference/engine/inference-engine.js";

const chunkSize = 16;

export async function extractFeatures(request: {
  engine: InferenceEngine;
  model: EngineModel;
  texts: readonly string[];
  options: EmbeddingOptions;
  signal: AbortSignal;
  onProgress(embedded: number): Promise<void>;
}): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < request.texts.length; start += chunkSize) {
    request.signal.throwIfAborted();
    const chunk = request.texts.slice(start, start + chunkSize);
    vectors.push(...(await request.engine.embed(request.model, [...chunk], request.options)));
    await request.onProgress(vectors.length);
  }
  return vectors;
}
