// restJson1 request decoding driven by the generated tables: each input member is read from where the model
// says it travels (path label, query string, header, or the JSON body / raw payload) and validated on the way.
import { ValidationException } from "./aws-errors.js";
import {
  checkRequiredAndUnion,
  type DecodeContext,
  decodeStructure,
  decodeValue,
  formatViolations,
  isPlainObject,
  shapeOf,
} from "./decode-value.js";
import type { MemberShape, OperationModel, ServiceModel, StructureShape } from "./service-model.js";

export interface RawRequestParts {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export function decodeRequest(
  model: ServiceModel,
  operation: OperationModel,
  request: RawRequestParts,
): Record<string, unknown> {
  if (!operation.input) return {};
  const shape = shapeOf(model, operation.input) as StructureShape;
  const context: DecodeContext = { model, violations: [] };
  const input: Record<string, unknown> = {};
  const located = new Set<string>();

  for (const [memberName, member] of Object.entries(shape.members)) {
    if (!member.location) continue;
    located.add(memberName);
    const value = readLocatedMember(context, member, memberName, request);
    if (value !== undefined) input[memberName] = value;
  }

  if (shape.payload) {
    located.add(shape.payload);
    const payload = readPayload(context, shape, shape.payload, request.body);
    if (payload !== undefined) input[shape.payload] = payload;
  } else {
    const bodyMembers = Object.keys(shape.members).filter((name) => !located.has(name));
    if (bodyMembers.length > 0 && request.body.length > 0) {
      const json = parseJsonBody(request.body);
      if (!isPlainObject(json)) throw new ValidationException("The request body must be a JSON object.");
      Object.assign(input, decodeStructure(context, { ...shape, required: [] }, json, "", located));
    }
  }

  checkRequiredAndUnion(context, shape, input, "");
  if (context.violations.length > 0) throw new ValidationException(formatViolations(context.violations));
  return input;
}

function headerValue(headers: RawRequestParts["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

function readLocatedMember(
  context: DecodeContext,
  member: MemberShape,
  memberName: string,
  request: RawRequestParts,
): unknown {
  const wireName = member.locationName ?? memberName;
  const shape = shapeOf(context.model, member.shape);
  switch (member.location) {
    case "uri": {
      const value = request.labels[wireName];
      return value === undefined
        ? undefined
        : decodeValue(context, member.shape, coerceText(shape.type, value), memberName);
    }
    case "querystring": {
      if (shape.type === "list") {
        const values = request.query.getAll(wireName);
        if (values.length === 0) return undefined;
        const itemType = shapeOf(context.model, shape.member).type;
        return decodeValue(
          context,
          member.shape,
          values.map((value) => coerceText(itemType, value)),
          memberName,
        );
      }
      const value = request.query.get(wireName);
      return value === null
        ? undefined
        : decodeValue(context, member.shape, coerceText(shape.type, value), memberName);
    }
    case "header": {
      const value = headerValue(request.headers, wireName);
      if (value === undefined) return undefined;
      if (member.jsonvalue)
        return decodeValue(context, member.shape, parseJsonHeader(value, wireName), memberName);
      if (shape.type === "timestamp") return decodeValue(context, member.shape, new Date(value), memberName);
      return decodeValue(context, member.shape, coerceText(shape.type, value), memberName);
    }
    case "headers": {
      const prefix = wireName.toLowerCase();
      const entries = Object.entries(request.headers).filter(([name]) => name.startsWith(prefix));
      if (entries.length === 0) return undefined;
      return Object.fromEntries(entries.map(([name, value]) => [name.slice(prefix.length), String(value)]));
    }
    default:
      return undefined;
  }
}

// Query strings and headers carry text; the model says which type the text stands for.
function coerceText(type: string, text: string): unknown {
  switch (type) {
    case "integer":
    case "long":
    case "float":
    case "double":
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    default:
      return text;
  }
}

function readPayload(
  context: DecodeContext,
  shape: StructureShape,
  payloadName: string,
  body: Uint8Array,
): unknown {
  const member = shape.members[payloadName];
  if (!member) return undefined;
  const payloadShape = shapeOf(context.model, member.shape);
  if (payloadShape.type === "blob") return body.length > 0 ? body : undefined;
  if (payloadShape.type === "string") return body.length > 0 ? Buffer.from(body).toString("utf8") : undefined;
  if (body.length === 0) return undefined;
  return decodeValue(context, member.shape, parseJsonBody(body), payloadName);
}

export function parseJsonBody(body: Uint8Array): unknown {
  const text = Buffer.from(body).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationException(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function parseJsonHeader(value: string, headerName: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    throw new ValidationException(`Header ${headerName} must be base64-encoded JSON.`);
  }
}
