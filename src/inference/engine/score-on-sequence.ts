// Scores tokens on a llama.cpp sequence in one pass: node-llama-cpp's controlledEvaluate decodes the whole text
// (batched, like a prompt) and returns the next-token distribution only where asked — after the last context
// token and after every continuation token but the last. With the default sampler (greedy, no penalties) that
// distribution is the softmax of the raw logits over the whole vocabulary, so it holds p(next | prefix).
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { ContinuationScore } from "./inference-engine.js";
import type { ScoringTokens } from "./scoring-tokens.js";

/**
 * The smallest probability a float32 softmax gives a token before it underflows to 0: a token the model rules
 * out completely costs ln(1/this) ≈ 103 nats instead of an infinite loss.
 */
const smallestProbability = 1.4e-45;

export async function scoreOnSequence(
  sequence: LlamaContextSequence,
  { context, continuation }: ScoringTokens,
): Promise<ContinuationScore> {
  // Without a context token the first continuation token has nothing to be predicted from: it becomes context.
  const conditioned = context.length > 0 ? context : continuation.slice(0, 1);
  const scored = context.length > 0 ? continuation : continuation.slice(1);
  if (scored.length === 0) return { negativeLogLikelihood: 0, tokenCount: 0 };
  const tokens = [...conditioned, ...scored];
  const firstPredicting = conditioned.length - 1;
  const input = tokens.map((token, index) =>
    index >= firstPredicting && index < tokens.length - 1
      ? ([token, { generateNext: { probabilities: true } }] as [
          Token,
          { generateNext: { probabilities: true } },
        ])
      : token,
  );
  const outputs = await sequence.controlledEvaluate(input);
  let negativeLogLikelihood = 0;
  for (let index = firstPredicting; index < tokens.length - 1; index++) {
    const next = tokens[index + 1] as Token;
    const probability = outputs[index]?.next.probabilities?.get(next) ?? 0;
    negativeLogLikelihood -= Math.log(Math.max(probability, smallestProbability));
  }
  return { negativeLogLikelihood, tokenCount: scored.length };
}
