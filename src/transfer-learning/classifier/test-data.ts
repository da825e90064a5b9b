// Synthetic data for the heads' tests: Gaussian blobs around given centres, drawn from a seed.
import type { FeatureRow } from "./feature-row.js";
import { seededNormal } from "./seeded-random.js";
import type { LabeledRows } from "./train-classifier.js";

export function blobs(
  centres: readonly (readonly number[])[],
  perClass: number,
  spread: number,
  seed: number,
): LabeledRows {
  const normal = seededNormal(seed);
  const rows: FeatureRow[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass; i++)
    for (const [label, centre] of centres.entries()) {
      rows.push({ values: Float64Array.from(centre, (value) => value + spread * normal()) });
      labels.push(label);
    }
  return { rows, labels };
}

export function accuracyOf(
  model: { probabilities(row: FeatureRow): Float64Array },
  data: LabeledRows,
): number {
  let correct = 0;
  for (const [index, row] of data.rows.entries()) {
    const probabilities = model.probabilities(row);
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    if (predicted === data.labels[index]) correct++;
  }
  return correct / data.rows.length;
}

/** The largest relative difference between the analytic gradient and central finite differences. */
export function gradientError(
  model: {
    parameters: Float64Array;
    lossAndGradient(
      rows: readonly FeatureRow[],
      labels: readonly number[],
      l2: number,
      gradient: Float64Array,
    ): number;
  },
  data: LabeledRows,
  l2: number,
): number {
  const analytic = new Float64Array(model.parameters.length);
  model.lossAndGradient(data.rows, data.labels, l2, analytic);
  const scratch = new Float64Array(model.parameters.length);
  const step = 1e-6;
  let worst = 0;
  for (let i = 0; i < model.parameters.length; i++) {
    const original = model.parameters[i] ?? 0;
    model.parameters[i] = original + step;
    const up = model.lossAndGradient(data.rows, data.labels, l2, scratch);
    model.parameters[i] = original - step;
    const down = model.lossAndGradient(data.rows, data.labels, l2, scratch);
    model.parameters[i] = original;
    const numeric = (up - down) / (2 * step);
    const error =
      Math.abs(numeric - (analytic[i] ?? 0)) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic[i] ?? 0));
    worst = Math.max(worst, error);
  }
  return worst;
}
