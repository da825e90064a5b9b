// The zero-shot baseline: the frozen base model is shown a plain-text prompt that names the labels, and each
// label is scored as the prompt's continuation; the prediction is the label with the lowest total negative
// log-likelihood (lm-evaluation-harness's "acc" choice). Scoring rather than generating gives every record a
// prediction: a small base model only continues text and seldom writes a label of its own accord, so a parsed
// answer would measure its obedience, not what it knows about the labels.

export const zeroShotMethod = "zero-shot by label likelihood";

export function zeroShotPrompt(labels: readonly string[], text: string): string {
  return `Classify the text. Answer with one of these labels: ${labels.join(", ")}.\n\nText: ${text}\n\nLabel:`;
}

/** What is scored after the prompt: the label as it would follow "Label:" in running text. */
export function labelContinuation(label: string): string {
  return ` ${label}`;
}

/**
 * The label of lowest total negative log-likelihood; on a tie the one first in `labels`. A label scored NaN
 * never wins; +Infinity (a probability of 0) only loses.
 */
export function mostLikelyLabel(
  labels: readonly string[],
  negativeLogLikelihoods: Readonly<Record<string, number>>,
): string {
  let best: { label: string; score: number } | undefined;
  for (const label of labels) {
    const score = negativeLogLikelihoods[label];
    if (score === undefined || Number.isNaN(score)) continue;
    if (!best || score < best.score) best = { label, score };
  }
  if (!best) throw new Error(`none of the labels ${labels.join(", ")} has a likelihood to compare`);
  return best.label;
}
