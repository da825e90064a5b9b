// The zero-shot baseline through the inference engine: the base model, asked for one of the labels in a
// plain-text prompt (no chat template: a base model only continues text), greedy, a few tokens; the answer
// parsed for the first label it names. The text is cut to about the tokens the head embeds, so both baselines
// and the head judge the same part of each record.
import {
  collectGeneration,
  type EngineModel,
  type InferenceEngine,
} from "../../inference/engine/inference-engine.js";
import { parseZeroShotAnswer, zeroShotPrompt } from "./zero-shot.js";

export const zeroShotAnswerTokens = 8;

export async function zeroShotPredictions(request: {
  engine: InferenceEngine;
  model: EngineModel;
  labels: readonly string[];
  texts: readonly string[];
  maxInputTokens: number;
  signal: AbortSignal;
}): Promise<{ predicted: (string | undefined)[]; answers: string[] }> {
  const { engine, model, labels } = request;
  const contextLength = await engine.contextLength(model);
  const overhead = await engine.countTokens(model, { kind: "text", text: zeroShotPrompt(labels, "") });
  const textTokens = Math.min(request.maxInputTokens, contextLength - overhead - zeroShotAnswerTokens - 4);
  const predicted: (string | undefined)[] = [];
  const answers: string[] = [];
  for (const text of request.texts) {
    request.signal.throwIfAborted();
    const prompt = zeroShotPrompt(labels, await cutToTokens(engine, model, text, Math.max(textTokens, 1)));
    const { text: answer } = await collectGeneration(
      engine.generate({
        model,
        prompt: { kind: "text", text: prompt },
        sampling: { maxTokens: zeroShotAnswerTokens, temperature: 0 },
        signal: request.signal,
      }),
    );
    answers.push(answer);
    predicted.push(parseZeroShotAnswer(labels, answer));
  }
  return { predicted, answers };
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
