// Latency percentiles by the nearest-rank method: the p-th percentile of n values is the smallest value
// that at least p% of the values are at or below — sorted[ceil(p × n / 100) − 1]. It is always a latency
// that was actually observed (no interpolation), p0 is the minimum and p100 the maximum.

/** `sorted` must be in ascending order; undefined for no values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  // p × n first: (p / 100) × n picks up binary rounding (0.07 × 100 = 7.000000000000001).
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1];
}

export function sortedAscending(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b);
}
