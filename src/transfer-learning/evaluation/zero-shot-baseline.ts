// The zero-shot baseline through the inference engine: for each text, the plain-text prompt (no chat template: a
// base model only continues text) is followed by each label in turn, and the engine scores how likely the base
// model finds it; the least surprising label is the prediction (zero-shot.ts). The text is cut to about the
// tokens the head embeds, so both baselines and the head judge the same part of each record.
import { JobFailure } from "../../customization/jobs/run-customization-job.js";
import {
  EngineError,
  type EngineModel,
  type InferenceEngine,
  type ScoringEngine,
} from "../../inference/engine/inference-engine.js";
import { labelContinuation, mostLikelyLabel, zeroShotPrompt } from "./zero-shot.js";

/** Tokens the engine adds around a scored text prompt (BOS before it, EOS after the label), and a margin. */
const scoringOverheadTokens = 2 + 4;

export interface ZeroShotPredictions {
  predicted: string[];
  /** Per record, each label's total negative log-likelihood (nats) as the prompt's continuation. */
  negativeLogLikelihoods: Record<string, number>[];
}

export async function zeroShotPredictions(request: {
  engine: InferenceEngine & ScoringEngine;
  model: EngineModel;
  labels: readonly string[];
  texts: readonly string[];
  maxInputTokens: number;
  signal: AbortSignal;
}): Promise<ZeroShotPredictions> {
  const { engine, model, labels, signal } = request;
  const contextLength = await engine.contextLength(model);
  const overhead = await engine.countTokens(model, { kind: "text", text: zeroShotPrompt(labels, "") });
  const labelTokens = await Promise.all(
    labels.map((label) => engine.countTokens(model, { kind: "text", text: labelContinuation(label) })),
  );
  const textTokens = Math.min(
    request.maxInputTokens,
    contextLength - overhead - Math.max(0, ...labelTokens) - scoringOverheadTokens,
  );
  const predictions: ZeroShotPredictions = { predicted: [], negativeLogLikelihoods: [] };
  for (const text of request.texts) {
    signal.throwIfAborted();
    const prompt = zeroShotPrompt(labels, await cutToTokens(engine, model, text, Math.max(textTokens, 1)));
    const scores: Record<string, number> = {};
    for (const label of labels) {
      const score = await engine
        .scoreContinuation({
          model,
          prompt: { kind: "text", text: prompt },
          continuation: labelContinuation(label),
          signal,
        })
        .catch((error: unknown) => {
          if (error instanceof EngineError && error.kind === "unsupported")
            throw new JobFailure(
              `The zero-shot baseline scores each label's likelihood under ${model.modelId}, and the engine serving it cannot score a continuation: ${error.message}`,
            );
          throw error;
        });
      scores[label] = score.negativeLogLikelihood;
    }
    predictions.negativeLogLikelihoods.push(scores);
    predictions.predicted.push(mostLikelyLabel(labels, scores));
  }
  return predictions;
}

/** The text's beginning that takes at most `limit` tokens (cut by characters in proportion, then checked). */
async function cutToTokens(
  engine: InferenceEngine,
  model: EngineModel,
  text: string,
  limit: number,
): Promise<string> {
  let cut = text;
  for (let attempt = 0; attempt < 8; attempt++) {
    const tokens = await engine.countTokens(model, { kind: "text", text: cut });
    if (tokens <= limit) return cut;
    cut = cut.slice(0, Math.floor((cut.length * limit * 0.95) / tokens));
  }
  return cut.slice(0, limit);
}
