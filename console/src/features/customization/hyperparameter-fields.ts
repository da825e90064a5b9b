// The hyperparameters a job takes, with the server's defaults and allowed ranges (the server checks them again
// and answers a ValidationException naming the key; test/console/hyperparameter-fields.test.ts keeps this table
// equal to the server's).

export type TrainingMethod = "lora" | "full";

export interface HyperParameterField {
  key: string;
  label: string;
  kind: "integer" | "number";
  min: number;
  /** maxSequenceLength is bounded by the base model's context. */
  max: number | "context";
  help: string;
  defaultValue(method: TrainingMethod, contextLength: number): number;
}

export const hyperParameterFields: readonly HyperParameterField[] = [
  {
    key: "epochCount",
    label: "Epochs",
    kind: "integer",
    min: 1,
    max: 10,
    help: "Passes over the training data.",
    defaultValue: () => 2,
  },
  {
    key: "batchSize",
    label: "Batch size",
    kind: "integer",
    min: 1,
    max: 64,
    help: "Rows per optimizer step.",
    defaultValue: () => 8,
  },
  {
    key: "learningRate",
    label: "Learning rate",
    kind: "number",
    min: 1e-6,
    max: 1e-2,
    help: "Peak rate (cosine decay). Full fine-tuning uses a smaller default.",
    defaultValue: (method) => (method === "lora" ? 1e-4 : 2e-5),
  },
  {
    key: "learningRateWarmupSteps",
    label: "Warm-up steps",
    kind: "integer",
    min: 0,
    max: 1000,
    help: "Steps of linear warm-up.",
    defaultValue: () => 0,
  },
  {
    key: "loraRank",
    label: "LoRA rank",
    kind: "integer",
    min: 1,
    max: 256,
    help: "Adapter rank (LoRA only).",
    defaultValue: () => 8,
  },
  {
    key: "loraAlpha",
    label: "LoRA alpha",
    kind: "integer",
    min: 1,
    max: 512,
    help: "Adapter scale (LoRA only).",
    defaultValue: () => 16,
  },
  {
    key: "maxSequenceLength",
    label: "Max sequence length",
    kind: "integer",
    min: 16,
    max: "context",
    help: "Tokens per packed row, up to the base model's context.",
    defaultValue: (_method, contextLength) => Math.min(1024, contextLength),
  },
  {
    key: "evaluationInterval",
    label: "Evaluation interval",
    kind: "integer",
    min: 0,
    max: 1_000_000,
    help: "Steps between validations; 0 = once per epoch.",
    defaultValue: () => 0,
  },
  {
    key: "earlyStoppingPatience",
    label: "Early-stopping patience",
    kind: "integer",
    min: 0,
    max: 100,
    help: "Evaluations without improvement before stopping; 0 = never.",
    defaultValue: () => 0,
  },
];

export function maximumOf(field: HyperParameterField, contextLength: number): number {
  return field.max === "context" ? Math.max(16, contextLength) : field.max;
}

/** Why a value is not allowed, or undefined when it is (empty means the default). */
export function hyperParameterProblem(
  field: HyperParameterField,
  raw: string,
  contextLength: number,
): string | undefined {
  if (raw.trim() === "") return undefined;
  const value = Number(raw);
  const max = maximumOf(field, contextLength);
  if (!Number.isFinite(value) || (field.kind === "integer" && !Number.isInteger(value))) {
    return `${field.label} must be ${field.kind === "integer" ? "a whole number" : "a number"} from ${field.min} to ${max}.`;
  }
  if (value < field.min || value > max) return `${field.label} must be from ${field.min} to ${max}.`;
  return undefined;
}
