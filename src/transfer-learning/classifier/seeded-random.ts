// Deterministic random numbers for the heads: the training data's splitmix32 (same seed, same numbers on every
// machine), plus normally distributed draws for weight initialisation (Box–Muller).
import { splitmix32 } from "../../training/data/seeded-shuffle.js";

export { seededShuffle } from "../../training/data/seeded-shuffle.js";

export function seededNormal(seed: number): () => number {
  const uniform = splitmix32(seed);
  return () => {
    const u = Math.max(uniform(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
