// A transfer-learning job's hyperparameters, strings in and strings out as Bedrock's hyperParameters map: what
// each means, its default and its range. Unknown names are refused, so a typo never silently trains with a default.
import type { HeadType } from "../classifier/classification-head.js";

export interface TransferLearningHyperParameters {
  /** auto: train both heads, keep the one with the lower validation loss. */
  headType: HeadType | "auto";
  /** Most epochs per head; early stopping usually ends sooner. */
  epochCount: number;
  batchSize: number;
  learningRate: number;
  l2Regularization: number;
  hiddenUnits: number;
  earlyStoppingPatience: number;
  /** Only the first this many tokens of a text are embedded. */
  maxInputTokens: number;
  seed: number;
  /** Share of the training records held out for early stopping when no validation data is given. */
  validationFraction: number;
}

interface Definition {
  default: string;
  parse(value: string): number | string | undefined;
  describe: string;
}

const integer = (min: number, max: number) => (value: string) => {
  const number = Number(value);
  return /^\d+$/.test(value) && number >= min && number <= max ? number : undefined;
};
const real =
  (min: number, max: number, inclusiveMin = false) =>
  (value: string) => {
    const number = Number(value);
    return value.trim() !== "" &&
      Number.isFinite(number) &&
      (inclusiveMin ? number >= min : number > min) &&
      number <= max
      ? number
      : undefined;
  };

const definitions: Record<keyof TransferLearningHyperParameters, Definition> = {
  headType: {
    default: "auto",
    parse: (value) => (["auto", "logistic-regression", "mlp"].includes(value) ? value : undefined),
    describe: "auto, logistic-regression or mlp",
  },
  epochCount: { default: "200", parse: integer(1, 1000), describe: "a whole number from 1 to 1000" },
  batchSize: { default: "32", parse: integer(1, 4096), describe: "a whole number from 1 to 4096" },
  learningRate: { default: "0.001", parse: real(0, 1), describe: "a number above 0, at most 1" },
  l2Regularization: { default: "0.0001", parse: real(0, 1, true), describe: "a number from 0 to 1" },
  hiddenUnits: { default: "64", parse: integer(1, 4096), describe: "a whole number from 1 to 4096" },
  earlyStoppingPatience: {
    default: "10",
    parse: integer(0, 1000),
    describe: "a whole number from 0 (never stop early) to 1000",
  },
  maxInputTokens: { default: "256", parse: integer(8, 32768), describe: "a whole number from 8 to 32768" },
  seed: { default: "1", parse: integer(0, 2 ** 31 - 1), describe: "a whole number from 0 to 2147483647" },
  validationFraction: { default: "0.1", parse: real(0, 0.5), describe: "a number above 0, at most 0.5" },
};

export type HyperParametersResult =
  | { ok: true; values: TransferLearningHyperParameters; effective: Record<string, string> }
  | { ok: false; reason: string };

export function parseTransferLearningHyperParameters(
  given: Readonly<Record<string, string>> = {},
  contextLength?: number,
): HyperParametersResult {
  const names = Object.keys(definitions);
  const unknown = Object.keys(given).filter((name) => !names.includes(name));
  if (unknown.length > 0)
    return {
      ok: false,
      reason: `Unknown transfer-learning hyperparameter(s) ${unknown.join(", ")}; the known ones are ${names.join(", ")}.`,
    };
  const values: Record<string, number | string> = {};
  const effective: Record<string, string> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const text = given[name] ?? definition.default;
    const value = definition.parse(text);
    if (value === undefined)
      return {
        ok: false,
        reason: `Hyperparameter ${name} must be ${definition.describe}; it was ${JSON.stringify(text)}.`,
      };
    values[name] = value;
    effective[name] = text;
  }
  const parsed = values as unknown as TransferLearningHyperParameters;
  // node-llama-cpp adds BOS (and EOS) and needs the input shorter than the context.
  if (contextLength !== undefined && parsed.maxInputTokens > contextLength - 3)
    return {
      ok: false,
      reason: `Hyperparameter maxInputTokens must be at most ${contextLength - 3} for this base model (context ${contextLength} tokens); it was ${parsed.maxInputTokens}.`,
    };
  return { ok: true, values: parsed, effective };
}

/** The hyperparameters a job was accepted with (already valid). */
export function transferLearningHyperParametersFrom(
  effective: Readonly<Record<string, string>>,
): TransferLearningHyperParameters {
  const parsed = parseTransferLearningHyperParameters(effective);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.values;
}
