// Small readers for the fields of a JSON request body. Each names the offending parameter in OpenAI's style
// ("Invalid type for 'messages[0].content': …") so that a client sees exactly what to fix. They throw an
// OpenAiError; the request parsers catch it once and return it as a ParseResult.
import { invalidRequest, OpenAiError } from "./openai-error.js";

export type JsonObject = Record<string, unknown>;

export type ParseResult<Value> = { success: true; value: Value } | { success: false; error: OpenAiError };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Runs a parser written with the throwing readers below and returns success-or-error. */
export function parseWith<Value>(parse: () => Value): ParseResult<Value> {
  try {
    return { success: true, value: parse() };
  } catch (error) {
    if (error instanceof OpenAiError) return { success: false, error };
    throw error;
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a decimal";
  return `a ${typeof value}`;
}

export function typeError(param: string, expected: string, value: unknown): OpenAiError {
  return invalidRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    "invalid_type",
  );
}

export function valueError(param: string, message: string): OpenAiError {
  return invalidRequest(`Invalid '${param}': ${message}`, param, "invalid_value");
}

export function unsupportedError(param: string, message: string): OpenAiError {
  return invalidRequest(message, param, "unsupported_parameter");
}

export function requireObject(value: unknown, param: string): JsonObject {
  if (!isJsonObject(value)) throw typeError(param, "an object", value);
  return value;
}

export function requireArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw typeError(param, "an array", value);
  return value;
}

export function requireString(value: unknown, param: string): string {
  if (typeof value !== "string") throw typeError(param, "a string", value);
  return value;
}

export function requiredField(object: JsonObject, name: string, param = name): unknown {
  const value = object[name];
  if (value === undefined || value === null) {
    throw invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
  }
  return value;
}

/** Absent and null mean the same in OpenAI's API: use the default. */
export function optionalField(object: JsonObject, name: string): unknown {
  const value = object[name];
  return value === null ? undefined : value;
}

export function optionalString(object: JsonObject, name: string, param = name): string | undefined {
  const value = optionalField(object, name);
  return value === undefined ? undefined : requireString(value, param);
}

export function optionalBoolean(object: JsonObject, name: string, param = name): boolean | undefined {
  const value = optionalField(object, name);
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw typeError(param, "a boolean", value);
  return value;
}

export function optionalNumber(
  object: JsonObject,
  name: string,
  range: { minimum?: number; maximum?: number; integer?: boolean } = {},
  param = name,
): number | undefined {
  const value = optionalField(object, name);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw typeError(param, range.integer ? "an integer" : "a number", value);
  }
  if (range.integer && !Number.isInteger(value)) throw typeError(param, "an integer", value);
  if (range.minimum !== undefined && value < range.minimum) {
    throw valueError(param, `expected a value >= ${range.minimum}, but got ${value} instead.`);
  }
  if (range.maximum !== undefined && value > range.maximum) {
    throw valueError(param, `expected a value <= ${range.maximum}, but got ${value} instead.`);
  }
  return value;
}
