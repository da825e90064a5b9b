// The hyperParameters map of CreateModelCustomizationJob: strings in (as Bedrock takes them), typed values out,
// every default in one table. Unknown keys and out-of-range values are refused with the key, the value and
// the allowed range, so the operation can answer a ValidationException a person can act on.

export type TrainingMethod = "lora" | "full";

export interface HyperParameters {
  epochCount: number;
  batchSize: number;
  learningRate: number;
  learningRateWarmupSteps: number;
  trainingMethod: TrainingMethod;
  loraRank: number;
  loraAlpha: number;
  maxSequenceLength: number;
  /** Optimizer steps between validations; 0 = once per epoch. */
  evaluationInterval: number;
  /** Evaluations without improvement before stopping early; 0 = never stop early. */
  earlyStoppingPatience: number;
}

export type ParsedHyperParameters =
  | { ok: true; values: HyperParameters; effective: Record<string, string> }
  | { ok: false; reason: string };

interface IntegerRule {
  kind: "integer";
  min: number;
  max: number;
}
interface NumberRule {
  kind: "number";
  min: number;
  max: number;
}
interface ChoiceRule {
  kind: "choice";
  choices: readonly string[];
}
type Rule = IntegerRule | NumberRule | ChoiceRule;

/** Ranges of Strata's local trainer (issue 9); the base model's context bounds maxSequenceLength. */
export function hyperParameterRules(contextLength: number): Record<keyof HyperParameters, Rule> {
  return {
    epochCount: { kind: "integer", min: 1, max: 10 },
    batchSize: { kind: "integer", min: 1, max: 64 },
    learningRate: { kind: "number", min: 1e-6, max: 1e-2 },
    learningRateWarmupSteps: { kind: "integer", min: 0, max: 1000 },
    trainingMethod: { kind: "choice", choices: ["lora", "full"] },
    loraRank: { kind: "integer", min: 1, max: 256 },
    loraAlpha: { kind: "integer", min: 1, max: 512 },
    maxSequenceLength: { kind: "integer", min: 16, max: Math.max(16, contextLength) },
    evaluationInterval: { kind: "integer", min: 0, max: 1_000_000 },
    earlyStoppingPatience: { kind: "integer", min: 0, max: 100 },
  };
}

function defaults(contextLength: number, trainingMethod: TrainingMethod): HyperParameters {
  return {
    epochCount: 2,
    batchSize: 8,
    // Full fine-tuning moves every weight: a smaller step keeps it from forgetting the base.
    learningRate: trainingMethod === "lora" ? 1e-4 : 2e-5,
    learningRateWarmupSteps: 0,
    trainingMethod,
    loraRank: 8,
    loraAlpha: 16,
    maxSequenceLength: Math.min(1024, contextLength),
    evaluationInterval: 0,
    earlyStoppingPatience: 0,
  };
}

function parseValue(
  key: string,
  raw: string,
  rule: Rule,
): { ok: true; value: number | string } | { ok: false; reason: string } {
  const trimmed = raw.trim();
  if (rule.kind === "choice") {
    return rule.choices.includes(trimmed)
      ? { ok: true, value: trimmed }
      : {
          ok: false,
          reason: `hyperParameters.${key} must be one of ${rule.choices.join(", ")}, but it is "${raw}".`,
        };
  }
  const number = trimmed === "" ? Number.NaN : Number(trimmed);
  const range = `${rule.min}–${rule.max}`;
  if (!Number.isFinite(number) || (rule.kind === "integer" && !Number.isInteger(number)))
    return {
      ok: false,
      reason: `hyperParameters.${key} must be ${rule.kind === "integer" ? "an integer" : "a number"} in ${range} (as a string), but it is "${raw}".`,
    };
  if (number < rule.min || number > rule.max)
    return { ok: false, reason: `hyperParameters.${key} must be in ${range}, but it is ${raw}.` };
  return { ok: true, value: number };
}

export function parseHyperParameters(
  input: Readonly<Record<string, string>> | undefined,
  contextLength: number,
): ParsedHyperParameters {
  const rules = hyperParameterRules(contextLength);
  const given = input ?? {};
  const known = Object.keys(rules);
  for (const key of Object.keys(given)) {
    if (!known.includes(key))
      return {
        ok: false,
        reason: `hyperParameters.${key} is not a hyperparameter Strata knows; use ${known.join(", ")}.`,
      };
  }
  const method = given.trainingMethod?.trim() ?? "lora";
  if (method !== "lora" && method !== "full")
    return {
      ok: false,
      reason: `hyperParameters.trainingMethod must be one of lora, full, but it is "${given.trainingMethod}".`,
    };
  const values: Record<string, number | string> = { ...defaults(contextLength, method) };
  for (const [key, raw] of Object.entries(given)) {
    const parsed = parseValue(key, raw, rules[key as keyof HyperParameters]);
    if (!parsed.ok) return parsed;
    values[key] = parsed.value;
  }
  const effective = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
  return { ok: true, values: values as unknown as HyperParameters, effective };
}

/**
 * The effective strings stored with a job back to typed values. They were checked against the base model's
 * context when the job was created and name every key, so no bound depends on the context here.
 */
export function hyperParametersFromEffective(effective: Readonly<Record<string, string>>): HyperParameters {
  const parsed = parseHyperParameters(effective, Number.MAX_SAFE_INTEGER);
  if (!parsed.ok) throw new Error(`stored hyperparameters no longer parse: ${parsed.reason}`);
  return parsed.values;
}
