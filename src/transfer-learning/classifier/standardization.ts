// Feature scaling for embeddings: each dimension centred on its training mean and divided by its training
// standard deviation, so one learning rate suits every dimension. Stored with the head: serving applies the
// very numbers training used.

export interface Standardization {
  mean: number[];
  scale: number[];
}

export function fitStandardization(vectors: readonly (readonly number[])[]): Standardization {
  const dimensions = vectors[0]?.length ?? 0;
  const mean = new Array<number>(dimensions).fill(0);
  for (const vector of vectors)
    for (let d = 0; d < dimensions; d++) mean[d] = (mean[d] ?? 0) + (vector[d] ?? 0) / vectors.length;
  const variance = new Array<number>(dimensions).fill(0);
  for (const vector of vectors)
    for (let d = 0; d < dimensions; d++)
      variance[d] = (variance[d] ?? 0) + ((vector[d] ?? 0) - (mean[d] ?? 0)) ** 2 / vectors.length;
  // A constant dimension keeps scale 1: it carries no information, and dividing by ~0 would blow it up.
  const scale = variance.map((value) => (value > 1e-12 ? Math.sqrt(value) : 1));
  return { mean, scale };
}

export function standardize(vector: readonly number[], standardization: Standardization): Float64Array {
  const { mean, scale } = standardization;
  if (vector.length !== mean.length)
    throw new Error(`the vector has ${vector.length} dimensions; the head was trained on ${mean.length}`);
  return Float64Array.from(vector, (value, d) => (value - (mean[d] ?? 0)) / (scale[d] ?? 1));
}
