// Accuracy, per-class precision / recall / F1, macro-F1 and the confusion matrix of predictions against true
// labels. A prediction may be missing (no method abstains today; one that did must not be flattered): it
// counts as wrong, in the matrix's last column "(no answer)", and as nobody's false positive. A class that is
// never predicted has precision 0 (scikit-learn's zero_division=0), so macro-F1 is not flattered by classes a
// model ignores.

export const noAnswer = "(no answer)";

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True examples of the class. */
  support: number;
}

export interface ClassificationReport {
  records: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** Rows: the true label (`labels` order). */
  labels: string[];
  /** Columns: the predicted label (`labels` order, then "(no answer)" when some prediction was missing). */
  predictedLabels: string[];
  confusionMatrix: number[][];
  /** Predictions that named no label. */
  unanswered: number;
}

export function classificationReport(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly (string | undefined)[],
): ClassificationReport {
  if (truth.length !== predicted.length)
    throw new Error(`${truth.length} true labels but ${predicted.length} predictions`);
  const index = new Map(labels.map((label, i) => [label, i]));
  const unanswered = predicted.filter((label) => label === undefined || !index.has(label)).length;
  const columns = unanswered > 0 ? [...labels, noAnswer] : [...labels];
  const matrix = labels.map(() => new Array<number>(columns.length).fill(0));
  let correct = 0;
  for (const [i, label] of truth.entries()) {
    const row = index.get(label);
    if (row === undefined) throw new Error(`true label ${JSON.stringify(label)} is not one of the labels`);
    const guess = predicted[i];
    const column = guess === undefined ? labels.length : (index.get(guess) ?? labels.length);
    const cells = matrix[row] as number[];
    cells[column] = (cells[column] ?? 0) + 1;
    if (column === row) correct++;
  }
  const perClass = labels.map((label, c): ClassMetrics => {
    const truePositives = matrix[c]?.[c] ?? 0;
    const support = (matrix[c] ?? []).reduce((sum, count) => sum + count, 0);
    const predictedAs = matrix.reduce((sum, row) => sum + (row[c] ?? 0), 0);
    const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  return {
    records: truth.length,
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1:
      perClass.length === 0 ? 0 : perClass.reduce((sum, metrics) => sum + metrics.f1, 0) / perClass.length,
    perClass,
    labels: [...labels],
    predictedLabels: columns,
    confusionMatrix: matrix,
    unanswered,
  };
}

/** The matrix as aligned text: one row per true label, one column per predicted label. */
export function formatConfusionMatrix(
  report: Pick<ClassificationReport, "labels" | "predictedLabels" | "confusionMatrix">,
): string {
  const corner = "true \\ predicted";
  const first = Math.max(corner.length, ...report.labels.map((label) => label.length));
  const widths = report.predictedLabels.map((label, c) =>
    Math.max(label.length, ...report.confusionMatrix.map((row) => String(row[c] ?? 0).length)),
  );
  const header = [
    corner.padEnd(first),
    ...report.predictedLabels.map((label, c) => label.padStart(widths[c] ?? 0)),
  ];
  const rows = report.confusionMatrix.map((row, r) => [
    (report.labels[r] ?? "").padEnd(first),
    ...row.map((count, c) => String(count).padStart(widths[c] ?? 0)),
  ]);
  return [header, ...rows].map((cells) => cells.join("  ")).join("\n");
}
