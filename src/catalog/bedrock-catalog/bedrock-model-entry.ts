// The Amazon Bedrock foundation-model catalog Strata serves from ListFoundationModels /
// GetFoundationModel, plus the facts Strata keeps beside the Bedrock fields (context window,
// output limit, capabilities, prices). The data lives in bedrock-models.json; this module types it
// and validates it at load. See the "_notes" array in the JSON for the choices behind the values.

import data from "./bedrock-models.json" with { type: "json" };

/** ModelModality values in the botocore / Smithy model (bedrock 2023-04-20). */
export const BOTOCORE_MODEL_MODALITIES = ["TEXT", "IMAGE", "EMBEDDING"] as const;
/** Values the real service returns that the model's enum lacks (Nova Lite/Pro input, Nova Reel output). */
export const EXTRA_MODEL_MODALITIES = ["VIDEO"] as const;
/** ModelCustomization values in the botocore model. */
export const BOTOCORE_MODEL_CUSTOMIZATIONS = [
  "FINE_TUNING",
  "CONTINUED_PRE_TRAINING",
  "DISTILLATION",
] as const;
/** InferenceType values in the botocore model. */
export const BOTOCORE_INFERENCE_TYPES = ["ON_DEMAND", "PROVISIONED"] as const;
/** Values the real service returns that the model's enum lacks (profile-only models). */
export const EXTRA_INFERENCE_TYPES = ["INFERENCE_PROFILE"] as const;
/** FoundationModelLifecycleStatus values in the botocore model. */
export const LIFECYCLE_STATUSES = ["ACTIVE", "LEGACY"] as const;
export const PRICE_CONFIDENCES = ["verified", "unverified"] as const;

export type ModelModality =
  | (typeof BOTOCORE_MODEL_MODALITIES)[number]
  | (typeof EXTRA_MODEL_MODALITIES)[number];
export type ModelCustomization = (typeof BOTOCORE_MODEL_CUSTOMIZATIONS)[number];
export type InferenceType =
  | (typeof BOTOCORE_INFERENCE_TYPES)[number]
  | (typeof EXTRA_INFERENCE_TYPES)[number];
export type FoundationModelLifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
export type PriceConfidence = (typeof PRICE_CONFIDENCES)[number];

/** `BedrockModelId` pattern from the service model, anchored. */
export const BEDROCK_MODEL_ID_PATTERN =
  /^[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}(\/[a-z0-9]{12}|)$/;
export const BEDROCK_MODEL_ID_MAX_LENGTH = 140;
/** Context-window suffix of customizable / provisionable variants, e.g. `:0:8k`, `:0:300k`. */
export const CONTEXT_VARIANT_SUFFIX = /:[0-9]+:[0-9]+k$/;

/** FoundationModelLifecycle: timestamps are RFC 3339 strings, as the wire carries them. */
export interface FoundationModelLifecycle {
  status: FoundationModelLifecycleStatus;
  startOfLifeTime?: string;
  endOfLifeTime?: string;
  legacyTime?: string;
  publicExtendedAccessTime?: string;
}

export interface ModelCapabilities {
  toolUse: boolean;
  systemPrompt: boolean;
  documentInput: boolean;
  imageInput: boolean;
  videoInput: boolean;
}

export interface ImagePriceTier {
  quality: string;
  maxResolution: string;
  perImage: number;
}

/** An on-demand list price. At least one of the unit prices is present. */
export interface OnDemandPrice {
  currency: "USD";
  /** Region the price applies to. */
  region: string;
  inputPer1kTokens?: number;
  outputPer1kTokens?: number;
  batchInputPer1kTokens?: number;
  batchOutputPer1kTokens?: number;
  cacheReadInputPer1kTokens?: number;
  cacheWriteInputPer1kTokens?: number;
  /** Cheapest per-image price; tiers, when known, are in imageTiers. */
  perImage?: number;
  imageTiers?: ImagePriceTier[];
  perSecondOfVideo?: number;
  /** Where the figure comes from (page address or description). */
  source: string;
  /** When the figure was seen or the date of the copy it was read from. */
  asOf: string;
  confidence: PriceConfidence;
  note?: string;
}

export interface ModelPricing {
  /** null when there is no on-demand price (provisioned-only variant) or it is unknown; see reason. */
  onDemand: OnDemandPrice | null;
  reason?: string;
}

/** One catalog entry: the FoundationModelSummary fields (less modelArn) plus Strata's own facts. */
export interface BedrockModelEntry {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: ModelModality[];
  outputModalities: ModelModality[];
  /** Omitted for image and video models, as real responses omit it. */
  responseStreamingSupported?: boolean;
  customizationsSupported: ModelCustomization[];
  inferenceTypesSupported: InferenceType[];
  modelLifecycle: FoundationModelLifecycle;
  contextWindowTokens?: number;
  maxOutputTokens?: number;
  capabilities: ModelCapabilities;
  pricing: ModelPricing;
}

export interface CatalogProblem {
  /** Index of the entry in `models`, or -1 for a problem with the file as a whole. */
  index: number;
  /** Field path inside the entry, e.g. `pricing.onDemand.source`. */
  field: string;
  message: string;
}

export interface ParsedCatalog {
  models: BedrockModelEntry[];
  notes: string[];
  problems: CatalogProblem[];
}

/** Builds the foundation-model ARN: the account field is empty. */
export function foundationModelArn(modelId: string, region: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

const ENTRY_KEYS = new Set([
  "modelId",
  "modelName",
  "providerName",
  "inputModalities",
  "outputModalities",
  "responseStreamingSupported",
  "customizationsSupported",
  "inferenceTypesSupported",
  "modelLifecycle",
  "contextWindowTokens",
  "maxOutputTokens",
  "capabilities",
  "pricing",
]);
const LIFECYCLE_TIME_KEYS = [
  "startOfLifeTime",
  "endOfLifeTime",
  "legacyTime",
  "publicExtendedAccessTime",
] as const;
const CAPABILITY_KEYS = ["toolUse", "systemPrompt", "documentInput", "imageInput", "videoInput"] as const;
const UNIT_PRICE_KEYS = [
  "inputPer1kTokens",
  "outputPer1kTokens",
  "batchInputPer1kTokens",
  "batchOutputPer1kTokens",
  "cacheReadInputPer1kTokens",
  "cacheWriteInputPer1kTokens",
  "perImage",
  "perSecondOfVideo",
] as const;
const PRICE_KEYS = new Set<string>([
  ...UNIT_PRICE_KEYS,
  "currency",
  "region",
  "imageTiers",
  "source",
  "asOf",
  "confidence",
  "note",
]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates one entry; pushes problems and returns the entry when it is sound. */
function parseEntry(raw: unknown, index: number, problems: CatalogProblem[]): BedrockModelEntry | undefined {
  const before = problems.length;
  const problem = (field: string, message: string): void => {
    problems.push({ index, field, message });
  };
  if (!isObject(raw)) {
    problem("", "entry must be an object");
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!ENTRY_KEYS.has(key))
      problem(key, "unknown field (not a FoundationModelSummary field nor a Strata field)");
  }

  const nonEmptyString = (field: string, value: unknown): void => {
    if (typeof value !== "string" || value.trim() === "") problem(field, "must be a non-empty string");
  };
  const enumList = (field: string, value: unknown, allowed: readonly string[], nonEmpty: boolean): void => {
    if (!Array.isArray(value)) {
      problem(field, "must be an array");
      return;
    }
    if (nonEmpty && value.length === 0) problem(field, "must not be empty");
    const seen = new Set<unknown>();
    value.forEach((item, i) => {
      if (typeof item !== "string" || !allowed.includes(item)) {
        problem(`${field}[${i}]`, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(item)})`);
      }
      if (seen.has(item)) problem(`${field}[${i}]`, `duplicate value ${JSON.stringify(item)}`);
      seen.add(item);
    });
  };
  const positiveInt = (field: string, value: unknown): void => {
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
      problem(field, "must be a positive integer when present");
    }
  };

  const modelId = raw.modelId;
  if (typeof modelId !== "string" || modelId === "") {
    problem("modelId", "must be a non-empty string");
  } else {
    if (modelId.length > BEDROCK_MODEL_ID_MAX_LENGTH) {
      problem("modelId", `longer than ${BEDROCK_MODEL_ID_MAX_LENGTH} characters`);
    }
    if (!BEDROCK_MODEL_ID_PATTERN.test(modelId))
      problem("modelId", `does not match the BedrockModelId pattern`);
  }
  nonEmptyString("modelName", raw.modelName);
  nonEmptyString("providerName", raw.providerName);
  const modalities = [...BOTOCORE_MODEL_MODALITIES, ...EXTRA_MODEL_MODALITIES];
  enumList("inputModalities", raw.inputModalities, modalities, true);
  enumList("outputModalities", raw.outputModalities, modalities, true);
  if (raw.responseStreamingSupported !== undefined && typeof raw.responseStreamingSupported !== "boolean") {
    problem("responseStreamingSupported", "must be a boolean when present");
  }
  enumList("customizationsSupported", raw.customizationsSupported, BOTOCORE_MODEL_CUSTOMIZATIONS, false);
  enumList(
    "inferenceTypesSupported",
    raw.inferenceTypesSupported,
    [...BOTOCORE_INFERENCE_TYPES, ...EXTRA_INFERENCE_TYPES],
    false,
  );

  const lifecycle = raw.modelLifecycle;
  if (!isObject(lifecycle)) {
    problem("modelLifecycle", "must be an object");
  } else {
    const status = lifecycle.status;
    if (typeof status !== "string" || !(LIFECYCLE_STATUSES as readonly string[]).includes(status)) {
      problem("modelLifecycle.status", `must be one of ${LIFECYCLE_STATUSES.join(", ")}`);
    }
    for (const key of Object.keys(lifecycle)) {
      if (key === "status") continue;
      if (!(LIFECYCLE_TIME_KEYS as readonly string[]).includes(key)) {
        problem(`modelLifecycle.${key}`, "unknown field");
      } else if (typeof lifecycle[key] !== "string" || !RFC3339.test(lifecycle[key] as string)) {
        problem(`modelLifecycle.${key}`, "must be an RFC 3339 timestamp string");
      }
    }
  }

  positiveInt("contextWindowTokens", raw.contextWindowTokens);
  positiveInt("maxOutputTokens", raw.maxOutputTokens);

  const capabilities = raw.capabilities;
  if (!isObject(capabilities)) {
    problem("capabilities", "must be an object");
  } else {
    for (const key of CAPABILITY_KEYS) {
      if (typeof capabilities[key] !== "boolean") problem(`capabilities.${key}`, "must be a boolean");
    }
    for (const key of Object.keys(capabilities)) {
      if (!(CAPABILITY_KEYS as readonly string[]).includes(key))
        problem(`capabilities.${key}`, "unknown field");
    }
  }

  parsePricing(raw.pricing, problem);

  return problems.length === before ? (raw as unknown as BedrockModelEntry) : undefined;
}

function parsePricing(pricing: unknown, problem: (field: string, message: string) => void): void {
  if (!isObject(pricing)) {
    problem("pricing", "must be an object");
    return;
  }
  for (const key of Object.keys(pricing)) {
    if (key !== "onDemand" && key !== "reason") problem(`pricing.${key}`, "unknown field");
  }
  const onDemand = pricing.onDemand;
  if (onDemand === null) {
    if (typeof pricing.reason !== "string" || pricing.reason.trim() === "") {
      problem("pricing.reason", "required (non-empty string) when pricing.onDemand is null");
    }
    return;
  }
  if (!isObject(onDemand)) {
    problem("pricing.onDemand", "must be an object or null");
    return;
  }
  const field = (key: string): string => `pricing.onDemand.${key}`;
  for (const key of Object.keys(onDemand)) {
    if (!PRICE_KEYS.has(key)) problem(field(key), "unknown field");
  }
  if (onDemand.currency !== "USD") problem(field("currency"), 'must be "USD"');
  for (const key of ["region", "source", "asOf"]) {
    const value = onDemand[key];
    if (typeof value !== "string" || value.trim() === "") problem(field(key), "must be a non-empty string");
  }
  if (
    typeof onDemand.confidence !== "string" ||
    !(PRICE_CONFIDENCES as readonly string[]).includes(onDemand.confidence)
  ) {
    problem(field("confidence"), `must be one of ${PRICE_CONFIDENCES.join(", ")}`);
  }
  if (onDemand.note !== undefined && typeof onDemand.note !== "string")
    problem(field("note"), "must be a string");
  const validPrice = (value: unknown): boolean =>
    typeof value === "number" && Number.isFinite(value) && value >= 0;
  let units = 0;
  for (const key of UNIT_PRICE_KEYS) {
    if (onDemand[key] === undefined) continue;
    units += 1;
    if (!validPrice(onDemand[key])) problem(field(key), "must be a finite number >= 0");
  }
  if (units === 0)
    problem("pricing.onDemand", "needs at least one unit price (per 1K tokens, per image or per second)");
  if (onDemand.imageTiers !== undefined) {
    if (!Array.isArray(onDemand.imageTiers)) {
      problem(field("imageTiers"), "must be an array");
    } else {
      onDemand.imageTiers.forEach((tier: unknown, i: number) => {
        const at = field(`imageTiers[${i}]`);
        if (!isObject(tier)) {
          problem(at, "must be an object");
          return;
        }
        if (typeof tier.quality !== "string" || tier.quality === "")
          problem(`${at}.quality`, "must be a string");
        if (typeof tier.maxResolution !== "string" || !/^\d+x\d+$/.test(tier.maxResolution)) {
          problem(`${at}.maxResolution`, 'must look like "1024x1024"');
        }
        if (!validPrice(tier.perImage)) problem(`${at}.perImage`, "must be a finite number >= 0");
      });
    }
  }
}

/**
 * Validates a catalog document (the shape of bedrock-models.json) and returns the sound entries
 * and every problem found. Does not throw.
 */
export function parseBedrockModels(doc: unknown): ParsedCatalog {
  const problems: CatalogProblem[] = [];
  const models: BedrockModelEntry[] = [];
  let notes: string[] = [];
  if (!isObject(doc)) {
    return { models, notes, problems: [{ index: -1, field: "", message: "catalog must be a JSON object" }] };
  }
  if (doc._notes !== undefined) {
    if (Array.isArray(doc._notes) && doc._notes.every((n) => typeof n === "string")) {
      notes = doc._notes as string[];
    } else {
      problems.push({ index: -1, field: "_notes", message: "must be an array of strings" });
    }
  }
  if (!Array.isArray(doc.models)) {
    problems.push({ index: -1, field: "models", message: "must be an array" });
    return { models, notes, problems };
  }
  const firstIndexOf = new Map<string, number>();
  doc.models.forEach((raw, index) => {
    const entry = parseEntry(raw, index, problems);
    const id = isObject(raw) ? raw.modelId : undefined;
    if (typeof id === "string") {
      const first = firstIndexOf.get(id);
      if (first !== undefined) {
        problems.push({ index, field: "modelId", message: `duplicate of entry ${first} (${id})` });
        return;
      }
      firstIndexOf.set(id, index);
    }
    if (entry) models.push(entry);
  });
  return { models, notes, problems };
}

/** Formats problems as one message, one line per problem. */
export function formatCatalogProblems(
  problems: readonly CatalogProblem[],
  label = "bedrock-models.json",
): string {
  const lines = problems.map((p) => {
    const where = p.index < 0 ? "file" : `entry ${p.index}`;
    return `  - ${where}${p.field ? ` field ${p.field}` : ""}: ${p.message}`;
  });
  return `${label} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/**
 * Loads and validates the bundled catalog; throws one Error listing every problem if it is broken.
 * Returns fresh copies, so callers may modify what they get.
 */
export function loadBedrockModels(): BedrockModelEntry[] {
  const { models, problems } = parseBedrockModels(data as unknown);
  if (problems.length > 0) throw new Error(formatCatalogProblems(problems));
  return structuredClone(models);
}

/** The "_notes" array of the bundled catalog. */
export function bedrockCatalogNotes(): string[] {
  return parseBedrockModels(data as unknown).notes;
}
