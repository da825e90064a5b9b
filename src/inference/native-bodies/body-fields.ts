// Readers for the fields of an untrusted, already JSON-parsed native body. A reader that meets a bad value
// throws BodyFieldError naming the field (its path in the body) and what it accepts; `parseBody` turns that
// into the success-or-error result the family parsers return, so no parser has to thread errors by hand.
import type { SamplingOptions } from "../engine/inference-engine.js";

export class BodyFieldError extends Error {}

export type BodyObject = Record<string, unknown>;

export function isBodyObject(value: unknown): value is BodyObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Runs a parser written with the readers below; a BodyFieldError becomes `{ ok: false, message }`. */
export function parseBody<Parsed extends { ok: true }>(
  parse: () => Parsed,
): Parsed | { ok: false; message: string } {
  try {
    return parse();
  } catch (error) {
    if (error instanceof BodyFieldError) return { ok: false, message: error.message };
    throw error;
  }
}

export function fail(message: string): never {
  throw new BodyFieldError(message);
}

/** `prefix.key`, or `key` at the top level. */
export function fieldPath(prefix: string, key: string | number): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  return prefix ? `${prefix}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}

export function requireObject(value: unknown, path: string): BodyObject {
  if (!isBodyObject(value)) fail(`${path || "The body"} must be a JSON object, got ${describe(value)}.`);
  return value;
}

export function optionalObject(body: BodyObject, key: string, prefix = ""): BodyObject | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return requireObject(value, fieldPath(prefix, key));
}

export function requiredString(body: BodyObject, key: string, prefix = ""): string {
  const value = body[key];
  if (typeof value !== "string") {
    const path = fieldPath(prefix, key);
    fail(
      value === undefined
        ? `${path} is required (a string).`
        : `${path} must be a string, got ${describe(value)}.`,
    );
  }
  return value;
}

export function optionalString(body: BodyObject, key: string, prefix = ""): string | undefined {
  if (body[key] === undefined || body[key] === null) return undefined;
  return requiredString(body, key, prefix);
}

export interface NumberRange {
  min: number;
  /** No upper bound when absent. */
  max?: number;
}

function rangeText(kind: string, range: NumberRange): string {
  return range.max === undefined
    ? `${kind} of at least ${range.min}`
    : `${kind} from ${range.min} to ${range.max}`;
}

function readNumber(
  body: BodyObject,
  key: string,
  prefix: string,
  range: NumberRange,
  integer: boolean,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const inRange =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    value >= range.min &&
    (range.max === undefined || value <= range.max);
  if (!inRange) {
    fail(
      `${fieldPath(prefix, key)} must be ${rangeText(integer ? "an integer" : "a number", range)}, got ${describe(value)}.`,
    );
  }
  return value;
}

export function optionalNumber(
  body: BodyObject,
  key: string,
  range: NumberRange,
  prefix = "",
): number | undefined {
  return readNumber(body, key, prefix, range, false);
}

export function optionalInteger(
  body: BodyObject,
  key: string,
  range: NumberRange,
  prefix = "",
): number | undefined {
  return readNumber(body, key, prefix, range, true);
}

export function requiredInteger(body: BodyObject, key: string, range: NumberRange, prefix = ""): number {
  const value = readNumber(body, key, prefix, range, true);
  if (value === undefined) fail(`${fieldPath(prefix, key)} is required (${rangeText("an integer", range)}).`);
  return value;
}

export function requiredList(body: BodyObject, key: string, prefix = "", minItems = 0): unknown[] {
  const value = body[key];
  const path = fieldPath(prefix, key);
  if (!Array.isArray(value)) {
    fail(
      value === undefined
        ? `${path} is required (a list).`
        : `${path} must be a list, got ${describe(value)}.`,
    );
  }
  if (value.length < minItems)
    fail(`${path} must hold at least ${minItems} item${minItems === 1 ? "" : "s"}.`);
  return value;
}

/** Bedrock's own limit on stop sequences (Converse's `stopSequences`, 0–2500 items). */
const maxStopSequences = 2500;

/** A list of non-empty strings, or undefined when absent or empty. */
export function optionalStopSequences(body: BodyObject, key: string, prefix = ""): string[] | undefined {
  if (body[key] === undefined || body[key] === null) return undefined;
  const path = fieldPath(prefix, key);
  const list = requiredList(body, key, prefix);
  if (list.length > maxStopSequences)
    fail(`${path} must hold at most ${maxStopSequences} items, got ${list.length}.`);
  list.forEach((item, index) => {
    if (typeof item !== "string" || item.length === 0)
      fail(`${fieldPath(path, index)} must be a non-empty string, got ${describe(item)}.`);
  });
  return list.length > 0 ? (list as string[]) : undefined;
}

/** SamplingOptions without the members the body left out (the engine applies its own defaults). */
export function samplingFrom(values: {
  maxTokens: number;
  temperature?: number | undefined;
  topP?: number | undefined;
  topK?: number | undefined;
  stopSequences?: string[] | undefined;
}): SamplingOptions {
  const sampling: SamplingOptions = { maxTokens: values.maxTokens };
  if (values.temperature !== undefined) sampling.temperature = values.temperature;
  if (values.topP !== undefined) sampling.topP = values.topP;
  if (values.topK !== undefined) sampling.topK = values.topK;
  if (values.stopSequences !== undefined) sampling.stopSequences = values.stopSequences;
  return sampling;
}
