// Decodes a JSON value into the typed value a shape describes (timestamps → Date, blobs → bytes) and collects
// every constraint violation on the way, worded as AWS words them ("Value 'x' at 'a.b' failed to satisfy
// constraint: ..."). Parse, don't throw: the caller decides what a list of violations becomes.
import type { ServiceModel, Shape, StructureShape } from "./service-model.js";

export interface DecodeContext {
  model: ServiceModel;
  violations: string[];
}

const maxShownValueLength = 80;

function shown(shape: Shape, value: unknown): string {
  if ("sensitive" in shape && shape.sensitive) return "'***'";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const clipped = text.length > maxShownValueLength ? `${text.slice(0, maxShownValueLength)}…` : text;
  return `'${clipped}'`;
}

function violate(
  context: DecodeContext,
  shape: Shape,
  value: unknown,
  path: string,
  constraint: string,
): void {
  context.violations.push(
    `Value ${shown(shape, value)} at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

export function shapeOf(model: ServiceModel, shapeName: string): Shape {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`service model ${model.serviceName} has no shape ${shapeName}`);
  return shape;
}

function checkLength(
  context: DecodeContext,
  shape: Shape,
  value: unknown,
  length: number,
  path: string,
): void {
  if (!("min" in shape) && !("max" in shape)) return;
  const bounds = shape as { min?: number; max?: number };
  if (bounds.min !== undefined && length < bounds.min) {
    violate(context, shape, value, path, `Member must have length greater than or equal to ${bounds.min}`);
  }
  if (bounds.max !== undefined && length > bounds.max) {
    violate(context, shape, value, path, `Member must have length less than or equal to ${bounds.max}`);
  }
}

const patternCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let expression = patternCache.get(pattern);
  if (!expression) {
    expression = new RegExp(pattern, "u");
    patternCache.set(pattern, expression);
  }
  return expression;
}

function typeMismatch(
  context: DecodeContext,
  shape: Shape,
  value: unknown,
  path: string,
  expected: string,
): undefined {
  context.violations.push(`Value ${shown(shape, value)} at '${path}' must be ${expected}`);
  return undefined;
}

/** Decodes `value` (already JSON-parsed) as `shapeName`; returns undefined where it is unusable. */
export function decodeValue(
  context: DecodeContext,
  shapeName: string,
  value: unknown,
  path: string,
): unknown {
  const shape = shapeOf(context.model, shapeName);
  switch (shape.type) {
    case "string": {
      if (typeof value !== "string") return typeMismatch(context, shape, value, path, "a string");
      checkLength(context, shape, value, [...value].length, path);
      if (shape.enum && !shape.enum.includes(value)) {
        violate(
          context,
          shape,
          value,
          path,
          `Member must satisfy enum value set: [${shape.enum.join(", ")}]`,
        );
      }
      if (shape.pattern && !compiled(shape.pattern).test(value)) {
        violate(
          context,
          shape,
          value,
          path,
          `Member must satisfy regular expression pattern: ${shape.pattern}`,
        );
      }
      return value;
    }
    case "integer":
    case "long":
    case "float":
    case "double": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return typeMismatch(context, shape, value, path, "a number");
      }
      if ((shape.type === "integer" || shape.type === "long") && !Number.isInteger(value)) {
        return typeMismatch(context, shape, value, path, "an integer");
      }
      if (shape.min !== undefined && value < shape.min) {
        violate(context, shape, value, path, `Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value > shape.max) {
        violate(context, shape, value, path, `Member must have value less than or equal to ${shape.max}`);
      }
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") return typeMismatch(context, shape, value, path, "a boolean");
      return value;
    case "timestamp":
      return decodeTimestamp(context, shape, value, path);
    case "blob": {
      if (value instanceof Uint8Array) return value;
      if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
        return typeMismatch(context, shape, value, path, "base64-encoded bytes");
      }
      const bytes = new Uint8Array(Buffer.from(value, "base64"));
      checkLength(context, shape, value, bytes.length, path);
      return bytes;
    }
    case "list": {
      if (!Array.isArray(value)) return typeMismatch(context, shape, value, path, "a list");
      checkLength(context, shape, value, value.length, path);
      return value.map((item, index) =>
        decodeValue(context, shape.member, item, `${path}.${index + 1}.member`),
      );
    }
    case "map": {
      if (!isPlainObject(value)) return typeMismatch(context, shape, value, path, "a map");
      const entries = Object.entries(value);
      checkLength(context, shape, value, entries.length, path);
      const result: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        decodeValue(context, shape.key, key, `${path}.${key}.key`);
        result[key] = decodeValue(context, shape.value, item, `${path}.${key}.value`);
      }
      return result;
    }
    case "structure":
      if (shape.document) return value;
      if (!isPlainObject(value)) return typeMismatch(context, shape, value, path, "a structure");
      return decodeStructure(context, shape, value, path);
  }
}

export function decodeStructure(
  context: DecodeContext,
  shape: StructureShape,
  value: Record<string, unknown>,
  path: string,
  membersToSkip: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const prefix = path === "" ? "" : `${path}.`;
  for (const [memberName, member] of Object.entries(shape.members)) {
    if (membersToSkip.has(memberName)) continue;
    const memberValue = value[memberName];
    if (memberValue === undefined || memberValue === null) continue;
    result[memberName] = decodeValue(context, member.shape, memberValue, `${prefix}${memberName}`);
  }
  checkRequiredAndUnion(context, shape, result, path);
  return result;
}

/** Required members and the one-member rule of unions, checked after every location has been decoded. */
export function checkRequiredAndUnion(
  context: DecodeContext,
  shape: StructureShape,
  decoded: Record<string, unknown>,
  path: string,
): void {
  const prefix = path === "" ? "" : `${path}.`;
  for (const required of shape.required ?? []) {
    if (decoded[required] === undefined) {
      context.violations.push(
        `Value null at '${prefix}${required}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
  if (shape.union) {
    const setMembers = Object.keys(decoded).filter((key) => decoded[key] !== undefined);
    if (setMembers.length !== 1) {
      context.violations.push(
        `Value at '${path || "input"}' failed to satisfy constraint: Member must have exactly one member set, found ${setMembers.length}`,
      );
    }
  }
}

function decodeTimestamp(
  context: DecodeContext,
  shape: Shape,
  value: unknown,
  path: string,
): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === "string") {
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
    const parsed = new Date(value);
    if (rfc3339.test(value) && !Number.isNaN(parsed.getTime())) return parsed;
    if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  }
  return typeMismatch(context, shape, value, path, "an RFC 3339 timestamp");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

export function formatViolations(violations: readonly string[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${violations.join("; ")}`;
}
