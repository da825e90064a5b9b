// The method advisor: from the shape of a dataset's records (and optionally a stated goal), which customization
// fits and why, and what data each other method would need. Pure: the caller counts the record shapes.

export type RecordShape =
  | "prompt-completion"
  | "conversation"
  | "continued-pre-training"
  | "text-label"
  | "other";
export type CustomizationMethod = "INSTRUCTION_FINE_TUNING" | "CONTINUED_PRE_TRAINING" | "TRANSFER_LEARNING";

export interface MethodFit {
  method: CustomizationMethod;
  /** The CreateModelCustomizationJob customizationType that runs it here, when Strata runs it. */
  customizationType?: "FINE_TUNING" | "CONTINUED_PRE_TRAINING";
  fits: boolean;
  dataNeeded: string;
}

export interface CustomizationAdvice {
  detectedFormat: RecordShape | "mixed" | "empty";
  recordsExamined: number;
  recommendedMethod?: CustomizationMethod;
  customizationType?: "FINE_TUNING" | "CONTINUED_PRE_TRAINING";
  reason: string;
  methods: MethodFit[];
}

const dataNeeded: Record<CustomizationMethod, string> = {
  INSTRUCTION_FINE_TUNING:
    'labelled examples of the behaviour: {"prompt", "completion"} pairs, or conversations {"schemaVersion": "bedrock-conversation-2024", "messages": [user, assistant, …]}; a few hundred to a few thousand',
  CONTINUED_PRE_TRAINING:
    'unlabelled text from the domain, one {"input": "<text>"} record per document; the more the better (millions of tokens)',
  TRANSFER_LEARNING:
    'labelled classes, one {"text": "…", "label": "…"} record per example, every label seen many times; Strata trains a classification head on the frozen model (strata jobs create --method transfer-learning), or instruction fine-tuning on {"prompt": text, "completion": label}',
};

export function classifyRecord(record: unknown): RecordShape {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "other";
  const keys = Object.keys(record);
  if (keys.includes("messages") || keys.includes("schemaVersion")) return "conversation";
  if (keys.includes("prompt") && keys.includes("completion")) return "prompt-completion";
  if (keys.includes("input") && keys.length === 1) return "continued-pre-training";
  if (keys.includes("text") && keys.includes("label")) return "text-label";
  return "other";
}

const methodForShape: Partial<Record<RecordShape, CustomizationMethod>> = {
  "prompt-completion": "INSTRUCTION_FINE_TUNING",
  conversation: "INSTRUCTION_FINE_TUNING",
  "continued-pre-training": "CONTINUED_PRE_TRAINING",
  "text-label": "TRANSFER_LEARNING",
};

const customizationTypeOf: Record<CustomizationMethod, "FINE_TUNING" | "CONTINUED_PRE_TRAINING"> = {
  INSTRUCTION_FINE_TUNING: "FINE_TUNING",
  CONTINUED_PRE_TRAINING: "CONTINUED_PRE_TRAINING",
  TRANSFER_LEARNING: "FINE_TUNING",
};

/** What a free-text goal asks for, by its words; undefined when it names no method. */
export function methodForGoal(goal: string | undefined): CustomizationMethod | undefined {
  if (!goal) return undefined;
  const text = goal.toLowerCase();
  if (/classif|label|categor|sentiment|intent/.test(text)) return "TRANSFER_LEARNING";
  if (/domain|vocabular|jargon|knowledge|corpus|pre-?train|unlabel/.test(text))
    return "CONTINUED_PRE_TRAINING";
  if (/instruct|follow|chat|assistant|answer|format|style|tone|task/.test(text))
    return "INSTRUCTION_FINE_TUNING";
  return undefined;
}

const reasonFor: Record<CustomizationMethod, string> = {
  INSTRUCTION_FINE_TUNING:
    "the records pair an input with the wanted output, so the model can be taught to answer that way: instruction fine-tuning trains on the answers only",
  CONTINUED_PRE_TRAINING:
    "the records are unlabelled text, which teaches a domain's language and facts but no particular behaviour: continued pre-training trains on every token",
  TRANSFER_LEARNING:
    "the records are texts with class labels: transfer learning reuses the model's knowledge to predict the label (a classification head on the frozen model: strata jobs create --method transfer-learning; or fine-tuning on text → label)",
};

export function adviseCustomizationMethod(
  shapeCounts: Readonly<Partial<Record<RecordShape, number>>>,
  goal?: string,
): CustomizationAdvice {
  const shapes = Object.entries(shapeCounts).filter(([, count]) => (count ?? 0) > 0) as [
    RecordShape,
    number,
  ][];
  const recordsExamined = shapes.reduce((sum, [, count]) => sum + count, 0);
  const detectedFormat: CustomizationAdvice["detectedFormat"] =
    shapes.length === 0 ? "empty" : shapes.length > 1 ? "mixed" : (shapes[0]?.[0] as RecordShape);
  const dataMethod =
    detectedFormat === "empty" || detectedFormat === "mixed" ? undefined : methodForShape[detectedFormat];
  const goalMethod = methodForGoal(goal);
  const methods = (Object.keys(dataNeeded) as CustomizationMethod[]).map((method) => ({
    method,
    customizationType: customizationTypeOf[method],
    fits: method === dataMethod,
    dataNeeded: dataNeeded[method],
  }));

  let reason: string;
  if (detectedFormat === "empty") reason = "the dataset holds no records";
  else if (detectedFormat === "mixed")
    reason = `the records have several shapes (${shapes.map(([shape, count]) => `${count} ${shape}`).join(", ")}); one dataset must hold one format`;
  else if (!dataMethod)
    reason =
      'the records match no known format; expected {"prompt", "completion"}, conversations, {"input"} or {"text", "label"}';
  else reason = reasonFor[dataMethod];
  if (goalMethod && dataMethod && goalMethod !== dataMethod)
    reason += `. The stated goal calls for ${goalMethod.toLowerCase().replaceAll("_", " ")}, which needs ${dataNeeded[goalMethod]}`;
  return {
    detectedFormat,
    recordsExamined,
    ...(dataMethod
      ? { recommendedMethod: dataMethod, customizationType: customizationTypeOf[dataMethod] }
      : {}),
    reason,
    methods,
  };
}
