// Features from the frozen base model: each text's mean-pooled final hidden states through the inference
// engine (the same call, on the same model, that serving makes), a chunk of texts at a time so that progress
// is visible and other traffic on the model gets its turn between chunks. With a checkpoint, the rows it already
// holds are not embedded again and every chunk is added to it before progress is reported.
import type {
  EmbeddingOptions,
  EngineModel,
  InferenceEngine,
} from "../../inference/engine/inference-engine.js";
import type { FeatureCheckpoint } from "./feature-checkpoint.js";

const chunkSize = 16;

export async function extractFeatures(request: {
  engine: InferenceEngine;
  model: EngineModel;
  texts: readonly string[];
  options: EmbeddingOptions;
  signal: AbortSignal;
  onProgress(embedded: number): Promise<void>;
  checkpoint?: FeatureCheckpoint;
}): Promise<number[][]> {
  const vectors: number[][] = (await request.checkpoint?.load())?.slice(0, request.texts.length) ?? [];
  if (vectors.length > 0) await request.onProgress(vectors.length);
  for (let start = vectors.length; start < request.texts.length; start += chunkSize) {
    request.signal.throwIfAborted();
    const chunk = request.texts.slice(start, start + chunkSize);
    const embedded = await request.engine.embed(request.model, [...chunk], request.options);
    await request.checkpoint?.append(embedded);
    vectors.push(...embedded);
    await request.onProgress(vectors.length);
  }
  return vectors;
}
