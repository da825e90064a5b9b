// The artifact of a transfer-learning job: a head over the frozen base model's mean-pooled embeddings, as one
// JSON file next to the custom model (<data-dir>/models/custom-<id>.classifier.json). It holds everything
// serving needs besides the base model: the labels, how the features were made (pooling, token limit), the
// standardization and the parameters. Read back through a parser that says what is wrong instead of throwing.
import type { ClassifierModel } from "./classifier-model.js";
import { LogisticRegression } from "./logistic-regression.js";
import { MultilayerPerceptron } from "./multilayer-perceptron.js";
import { type Standardization, standardize } from "./standardization.js";

export const headFormat = "strata-classification-head";
export type HeadType = "logistic-regression" | "mlp";

export interface ClassificationHead {
  format: typeof headFormat;
  version: 1;
  headType: HeadType;
  labels: string[];
  /** MLP only. */
  hiddenUnits?: number;
  features: {
    baseModelId: string;
    pooling: "mean";
    dimensions: number;
    /** Only the first this many tokens of a text are embedded, in training and in serving. */
    maxInputTokens: number;
  };
  standardization: Standardization;
  parameters: number[];
}

export function headModel(head: ClassificationHead): ClassifierModel {
  const parameters = Float64Array.from(head.parameters);
  const { dimensions } = head.features;
  return head.headType === "mlp"
    ? new MultilayerPerceptron(dimensions, head.hiddenUnits ?? 0, head.labels.length, { parameters })
    : new LogisticRegression(dimensions, head.labels.length, parameters);
}

export interface Classification {
  label: string;
  probabilities: Record<string, number>;
}

/** The most probable label of one embedding (ties go to the label listed first). */
export function classifyEmbedding(
  head: ClassificationHead,
  model: ClassifierModel,
  embedding: readonly number[],
): Classification {
  const probabilities = model.probabilities({ values: standardize(embedding, head.standardization) });
  let best = 0;
  for (let c = 1; c < probabilities.length; c++)
    if ((probabilities[c] ?? 0) > (probabilities[best] ?? 0)) best = c;
  return {
    label: head.labels[best] ?? "",
    probabilities: Object.fromEntries(head.labels.map((label, c) => [label, probabilities[c] ?? 0])),
  };
}

export type HeadParseResult = { ok: true; head: ClassificationHead } | { ok: false; reason: string };

export function parseClassificationHead(text: string): HeadParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return checkClassificationHead(value);
}

/** The same checks for a head that came from elsewhere (a classifier GGUF), so both files are held to one standard. */
export function checkClassificationHead(value: unknown): HeadParseResult {
  const record = value as Partial<ClassificationHead> | null;
  if (typeof record !== "object" || record === null || record.format !== headFormat || record.version !== 1)
    return { ok: false, reason: `not a ${headFormat} version 1 file` };
  const { headType, labels, features, standardization, parameters, hiddenUnits } = record;
  if (headType !== "logistic-regression" && headType !== "mlp")
    return { ok: false, reason: `unknown headType ${String(headType)}` };
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((label) => typeof label === "string"))
    return { ok: false, reason: "labels must be at least two strings" };
  if (
    !features ||
    !Number.isInteger(features.dimensions) ||
    features.dimensions < 1 ||
    !Number.isInteger(features.maxInputTokens)
  )
    return { ok: false, reason: "features must give whole dimensions and maxInputTokens" };
  const numbers = (list: unknown, length: number) =>
    Array.isArray(list) &&
    list.length === length &&
    list.every((item) => typeof item === "number" && Number.isFinite(item));
  if (
    !standardization ||
    !numbers(standardization.mean, features.dimensions) ||
    !numbers(standardization.scale, features.dimensions)
  )
    return { ok: false, reason: `standardization must hold ${features.dimensions} means and scales` };
  const classes = labels.length;
  const hidden = hiddenUnits ?? 0;
  if (headType === "mlp" && (!Number.isInteger(hidden) || hidden < 1))
    return { ok: false, reason: "an MLP head needs hiddenUnits" };
  const expected =
    headType === "mlp"
      ? hidden * features.dimensions + hidden + classes * hidden + classes
      : classes * features.dimensions + classes;
  if (!numbers(parameters, expected))
    return { ok: false, reason: `parameters must be ${expected} finite numbers` };
  return { ok: true, head: record as ClassificationHead };
}
