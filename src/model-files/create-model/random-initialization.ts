// Deterministic GPT-2-style initial weights: normal(0, 0.02) for every matrix, ones for the RMS norms, and the
// two projections that write into the residual stream (attn_output, ffn_down) scaled down by 1/sqrt(2·blocks)
// so the residual's variance does not grow with depth. Each tensor draws from its own stream, derived from the
// seed and the tensor's name, so a tensor's values do not depend on which tensors came before it.
import type { LlamaModelDimensions } from "./llama-model-spec.js";
import type { LlamaTensorDescription } from "./llama-tensor-layout.js";

export const initialStandardDeviation = 0.02;
/** qwen2's attention biases: larger than the matrices' spread, so that a graph that dropped them shows it. */
export const attentionBiasStandardDeviation = 0.1;

export type LlamaWeightSource = (tensor: LlamaTensorDescription) => Float32Array;

export function randomLlamaWeights(dimensions: LlamaModelDimensions, seed: number): LlamaWeightSource {
  const residualScale = 1 / Math.sqrt(2 * dimensions.blockCount);
  return (tensor) => {
    const values = new Float32Array(tensor.elementCount);
    if (tensor.kind === "norm") return values.fill(1);
    const scale =
      tensor.kind === "attention-bias"
        ? attentionBiasStandardDeviation
        : tensor.kind === "attention-output" || tensor.kind === "feed-forward-down"
          ? initialStandardDeviation * residualScale
          : initialStandardDeviation;
    fillNormal(values, scale, createRandomGenerator(seed, tensor.name));
    return values;
  };
}

/** Standard normal samples times `standardDeviation`, by the Box–Muller transform (two samples per pair). */
export function fillNormal(target: Float32Array, standardDeviation: number, random: () => number): void {
  for (let index = 0; index < target.length; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(random())) * standardDeviation;
    const angle = 2 * Math.PI * random();
    target[index] = radius * Math.cos(angle);
    if (index + 1 < target.length) target[index + 1] = radius * Math.sin(angle);
  }
}

/**
 * Uniform numbers in (0, 1) from xoshiro128** seeded through splitmix32 with the seed and a stream name.
 * Never 0, so that log() in Box–Muller stays finite.
 */
export function createRandomGenerator(seed: number, stream: string): () => number {
  let mixer = (hashString(stream) ^ Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  const nextSeed = () => {
    mixer = (mixer + 0x9e3779b9) >>> 0;
    let value = mixer;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
  let a = nextSeed();
  let b = nextSeed();
  let c = nextSeed();
  let d = nextSeed();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is xoshiro's one fixed point
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const shifted = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= shifted;
    d = rotateLeft(d, 11);
    return (result + 0.5) / 2 ** 32;
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** FNV-1a over the UTF-16 code units: enough to separate tensor names into independent streams. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
