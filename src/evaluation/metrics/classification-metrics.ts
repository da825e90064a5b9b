// Classification sets (taskType Classification: every referenceResponse is a class label). A free-text answer
// is read as the label it names, then accuracy and macro-F1 are computed over the labels the references use —
// scikit-learn's f1_score(average="macro", labels=sorted(set(y_true))): one F1 per label, averaged unweighted,
// so a rare class counts as much as a common one. An answer that names no label is simply wrong.
import { normalizeAnswer } from "./normalize-answer.js";

/** What an answer names: a label exactly, else the label it starts with, else the first label it mentions. */
export function predictedLabel(answer: string, labels: readonly string[]): string | undefined {
  const normalized = normalizeAnswer(answer);
  const candidates = labels
    .map((label) => ({ label, text: normalizeAnswer(label) }))
    .filter((candidate) => candidate.text !== "");
  const exact = candidates.find((candidate) => candidate.text === normalized);
  if (exact) return exact.label;
  const padded = ` ${normalized} `;
  let best: { label: string; position: number; length: number } | undefined;
  for (const candidate of candidates) {
    const position = padded.indexOf(` ${candidate.text} `);
    if (position === -1) continue;
    // The earliest mention wins; of two at the same place, the longer label ("not spam" over "not").
    if (
      !best ||
      position < best.position ||
      (position === best.position && candidate.text.length > best.length)
    )
      best = { label: candidate.label, position, length: candidate.text.length };
  }
  return best?.label;
}

export interface ClassificationScores {
  accuracy: number;
  macroF1: number;
  /** Per label: precision, recall, F1 and how many references carry it. */
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

/** `predictions[i]` is the label read from answer i (undefined: none), `references[i]` the true label. */
export function classificationScores(
  predictions: readonly (string | undefined)[],
  references: readonly string[],
): ClassificationScores {
  const labels = [...new Set(references)].sort();
  let correct = 0;
  const perLabel: ClassificationScores["perLabel"] = {};
  for (const label of labels) {
    let truePositives = 0;
    let predicted = 0;
    let support = 0;
    for (const [index, reference] of references.entries()) {
      const prediction = predictions[index];
      if (prediction === label) predicted++;
      if (reference === label) support++;
      if (prediction === label && reference === label) truePositives++;
    }
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1, support };
  }
  for (const [index, reference] of references.entries()) if (predictions[index] === reference) correct++;
  const f1s = Object.values(perLabel).map((scores) => scores.f1);
  return {
    accuracy: references.length === 0 ? 0 : correct / references.length,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((sum, f1) => sum + f1, 0) / f1s.length,
    perLabel,
  };
}
