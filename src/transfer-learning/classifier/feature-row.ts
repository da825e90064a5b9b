// One example's features as the heads read them: dense (an embedding: every index, in order) or sparse (a
// bag-of-words vector: the indices that are not zero). The two loops below are all the linear algebra the
// heads need, so a head never asks which kind it was given.

export interface FeatureRow {
  /** Absent: dense, values[i] is feature i. Present: values[j] is feature indices[j]. */
  indices?: Int32Array;
  values: Float64Array;
}

export function denseRow(values: ArrayLike<number>): FeatureRow {
  return { values: Float64Array.from(values) };
}

/** Σ weights[offset + feature] · value over the row's features. */
export function dotRow(weights: Float64Array, offset: number, row: FeatureRow): number {
  const { indices, values } = row;
  let sum = 0;
  if (indices)
    for (let j = 0; j < values.length; j++)
      sum += (weights[offset + (indices[j] ?? 0)] ?? 0) * (values[j] ?? 0);
  else for (let j = 0; j < values.length; j++) sum += (weights[offset + j] ?? 0) * (values[j] ?? 0);
  return sum;
}

/** target[offset + feature] += scale · value over the row's features. */
export function addScaledRow(target: Float64Array, offset: number, row: FeatureRow, scale: number): void {
  const { indices, values } = row;
  if (indices)
    for (let j = 0; j < values.length; j++) {
      const at = offset + (indices[j] ?? 0);
      target[at] = (target[at] ?? 0) + scale * (values[j] ?? 0);
    }
  else
    for (let j = 0; j < values.length; j++)
      target[offset + j] = (target[offset + j] ?? 0) + scale * (values[j] ?? 0);
}
