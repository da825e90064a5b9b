// The per-answer scores: reference-based text metrics and the class label the answer names. Pure; BLEU is a
// corpus metric and is computed over the whole dataset in the summary instead.
import type { MetricSelection } from "../evaluation-plan.js";
import { predictedLabel } from "../metrics/classification-metrics.js";
import { exactMatch } from "../metrics/exact-match.js";
import { rougeL } from "../metrics/rouge-l.js";
import { tokenF1 } from "../metrics/token-f1.js";
import type { ExampleResult } from "./evaluation-case.js";

export function scoreAnswer(
  response: string,
  reference: string | undefined,
  metrics: MetricSelection,
  labels: readonly string[],
): Pick<ExampleResult, "exactMatch" | "rougeL" | "tokenF1" | "predictedLabel"> {
  const scores: Pick<ExampleResult, "exactMatch" | "rougeL" | "tokenF1" | "predictedLabel"> = {};
  if (reference !== undefined) {
    if (metrics.text.includes("exactMatch")) scores.exactMatch = exactMatch(response, reference);
    if (metrics.text.includes("rougeL")) scores.rougeL = rougeL(response, reference).fmeasure;
    if (metrics.text.includes("tokenF1")) scores.tokenF1 = tokenF1(response, reference);
  }
  if (metrics.classification) scores.predictedLabel = predictedLabel(response, labels) ?? null;
  return scores;
}
