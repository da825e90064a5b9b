// Deterministic order from a seed: Fisher–Yates driven by splitmix32, so the same seed and epoch give the same
// order on every machine, and a resumed run recomputes exactly the order it was following.
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = splitmix32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 2 ** 32;
  };
}
