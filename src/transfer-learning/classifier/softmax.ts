// Softmax over logits, shifted by their maximum so that exp never overflows.

export function softmaxInPlace(logits: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of logits) if (value > max) max = value;
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const e = Math.exp((logits[c] ?? 0) - max);
    logits[c] = e;
    sum += e;
  }
  for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] ?? 0) / sum;
  return logits;
}

/** −ln p, with p floored so that a confident mistake costs a large but finite loss. */
export function crossEntropy(probabilities: Float64Array, label: number): number {
  return -Math.log(Math.max(probabilities[label] ?? 0, 1e-300));
}
