// Token F1 as the SQuAD v2.0 evaluation script computes it (`compute_f1`): the harmonic mean of precision and
// recall of the normalised tokens, counting each token as many times as it occurs in both (a multiset
// intersection). When either side has no tokens the score is 1 if both are empty, else 0.
import { answerTokens } from "./normalize-answer.js";

export function tokenF1(prediction: string, reference: string): number {
  const predicted = answerTokens(prediction);
  const expected = answerTokens(reference);
  if (predicted.length === 0 || expected.length === 0) return predicted.length === expected.length ? 1 : 0;
  const remaining = new Map<string, number>();
  for (const token of expected) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      common++;
      remaining.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}
