// Which Amazon Bedrock model a local model is compared with when no alias says so: the Bedrock model of its size
// class. Local GGUF models are Llama-family decoders, so the classes are Meta's Llama models on Bedrock, each
// class ending at a parameter count a little above the model that represents it:
//
//   parameters ≤ 1.5 B  → Llama 3.2 1B Instruct   (meta.llama3-2-1b-instruct-v1:0)
//   parameters ≤ 4 B    → Llama 3.2 3B Instruct   (meta.llama3-2-3b-instruct-v1:0)
//   parameters ≤ 12 B   → Llama 3.1 8B Instruct   (meta.llama3-1-8b-instruct-v1:0)
//   parameters ≤ 100 B  → Llama 3.1 70B Instruct  (meta.llama3-1-70b-instruct-v1:0)
//   larger              → none (the catalog has no larger Llama with a token price)
//
// Strata's built-in models (about 5 M parameters) land in the smallest class: the comparison then says what the
// cheapest comparable Bedrock model would charge for the same tokens, an upper bound for a model that small.
// Training is compared the same way with the only Llama training prices published (bedrock-api.md §6.2):
// Llama 2 13B up to 13 B parameters, Llama 2 70B up to 100 B.
import { bedrockTrainingPrices } from "../customization/estimate/bedrock-training-prices.js";

export interface SizeClass {
  /** Inclusive upper bound of the class, in parameters. */
  maxParameters: number;
  bedrockModelId: string;
  label: string;
}

export const inferenceSizeClasses: readonly SizeClass[] = [
  { maxParameters: 1.5e9, bedrockModelId: "meta.llama3-2-1b-instruct-v1:0", label: "≤ 1.5 B parameters" },
  { maxParameters: 4e9, bedrockModelId: "meta.llama3-2-3b-instruct-v1:0", label: "≤ 4 B parameters" },
  { maxParameters: 12e9, bedrockModelId: "meta.llama3-1-8b-instruct-v1:0", label: "≤ 12 B parameters" },
  { maxParameters: 100e9, bedrockModelId: "meta.llama3-1-70b-instruct-v1:0", label: "≤ 100 B parameters" },
];

export const trainingSizeClasses: readonly SizeClass[] = [
  { maxParameters: 13e9, bedrockModelId: "meta.llama2-13b-v1:0:4k", label: "≤ 13 B parameters" },
  { maxParameters: 100e9, bedrockModelId: "meta.llama2-70b-v1:0:4k", label: "≤ 100 B parameters" },
];

/** The class a model of this many parameters falls in; undefined above the largest class. */
export function sizeClassOf(classes: readonly SizeClass[], parameterCount: number): SizeClass | undefined {
  return classes.find((sizeClass) => parameterCount <= sizeClass.maxParameters);
}

/** Bedrock's published training price (USD per 1,000 trained tokens) of a training size class. */
export function bedrockTrainingPriceOf(sizeClass: SizeClass) {
  return bedrockTrainingPrices.find((price) => price.modelId === sizeClass.bedrockModelId);
}

/** "4.9 M", "1.2 B": parameter counts as people say them. */
export function describeParameterCount(parameterCount: number): string {
  if (parameterCount >= 1e9) return `${(parameterCount / 1e9).toFixed(1)} B`;
  if (parameterCount >= 1e6) return `${(parameterCount / 1e6).toFixed(1)} M`;
  return `${parameterCount}`;
}
