// restJson1 response encoding driven by the generated tables: header members become headers, the payload
// member (raw bytes, or an event stream) becomes the body, every other member goes into the JSON body.
// Timestamps leave as RFC 3339 strings — the SDK throws on epoch numbers (bedrock-api.md §1.3).
import { shapeOf } from "./decode-value.js";
import type {
  OperationModel,
  ServiceModel,
  Shape,
  StructureShape,
  TimestampFormat,
} from "./service-model.js";

export type ResponseBody = Uint8Array | string | AsyncIterable<unknown>;

/**
 * Headers a real service sends that its model does not describe (InvokeModel's
 * X-Amzn-Bedrock-Input-Token-Count, …): an operation attaches them to its output under this key.
 */
export const unmodelledHeaders = Symbol("unmodelledHeaders");

export type WithUnmodelledHeaders<Output> = Output & { [unmodelledHeaders]?: Record<string, string> };

/**
 * JSON members Strata adds to a Bedrock response body beyond the service model (GetCustomModel's
 * strataEvaluation): plain JSON values, written next to the modelled members. The SDKs read the members their
 * model names and ignore the rest, so these reach only clients that look for them (the CLI, the console).
 */
export const unmodelledMembers = Symbol("unmodelledMembers");

export type WithUnmodelledMembers<Output> = Output & { [unmodelledMembers]?: Record<string, unknown> };

export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  body: ResponseBody;
  /** Set when the body is an event stream: the union shape its events belong to. */
  eventStreamShape?: string;
}

export function encodeResponse(
  model: ServiceModel,
  operation: OperationModel,
  output: Record<string, unknown> | undefined,
): EncodedResponse {
  const headers: Record<string, string> = {};
  const extra = (output as WithUnmodelledHeaders<Record<string, unknown>> | undefined)?.[unmodelledHeaders];
  for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
  if (!operation.output) return { status: operation.successCode, headers, body: "" };
  const shape = shapeOf(model, operation.output) as StructureShape;
  const value = output ?? {};
  const bodyValue: Record<string, unknown> = {};

  for (const [memberName, member] of Object.entries(shape.members)) {
    const memberValue = value[memberName];
    if (memberValue === undefined || memberValue === null) continue;
    if (member.location === "header") {
      headers[(member.locationName ?? memberName).toLowerCase()] = headerText(
        shapeOf(model, member.shape),
        memberValue,
      );
    } else if (member.location === "headers") {
      const prefix = (member.locationName ?? memberName).toLowerCase();
      for (const [key, item] of Object.entries(memberValue as Record<string, unknown>)) {
        headers[`${prefix}${key}`.toLowerCase()] = String(item);
      }
    } else if (member.location === undefined && memberName !== shape.payload) {
      bodyValue[memberName] = encodeValue(model, member.shape, memberValue, member.timestampFormat);
    }
  }

  if (shape.payload) {
    const member = shape.members[shape.payload];
    const payload = value[shape.payload];
    if (!member) return { status: operation.successCode, headers, body: "" };
    const payloadShape = shapeOf(model, member.shape);
    if (payloadShape.type === "structure" && payloadShape.eventstream) {
      headers["content-type"] = "application/vnd.amazon.eventstream";
      return {
        status: operation.successCode,
        headers,
        body: payload as AsyncIterable<unknown>,
        eventStreamShape: member.shape,
      };
    }
    if (payload instanceof Uint8Array || typeof payload === "string") {
      return { status: operation.successCode, headers, body: payload };
    }
    headers["content-type"] ??= "application/json";
    const encoded = payload === undefined ? {} : encodeValue(model, member.shape, payload);
    return { status: operation.successCode, headers, body: JSON.stringify(encoded) };
  }

  headers["content-type"] = "application/json";
  const additions = (output as WithUnmodelledMembers<Record<string, unknown>> | undefined)?.[
    unmodelledMembers
  ];
  return { status: operation.successCode, headers, body: JSON.stringify({ ...additions, ...bodyValue }) };
}

// Shapes whose values are already their own JSON (no timestamp or blob anywhere below them) are passed
// through untouched: most of a response is such data, and walking it member by member costs time per request.
const plainJsonShapes = new WeakMap<ServiceModel, Map<string, boolean>>();

function isPlainJson(model: ServiceModel, shapeName: string, visiting = new Set<string>()): boolean {
  let cache = plainJsonShapes.get(model);
  if (!cache) {
    cache = new Map();
    plainJsonShapes.set(model, cache);
  }
  const known = cache.get(shapeName);
  if (known !== undefined) return known;
  if (visiting.has(shapeName)) return true; // a recursive shape is plain unless something else says otherwise
  visiting.add(shapeName);
  const shape = shapeOf(model, shapeName);
  let plain: boolean;
  switch (shape.type) {
    case "timestamp":
    case "blob":
      plain = false;
      break;
    case "list":
      plain = isPlainJson(model, shape.member, visiting);
      break;
    case "map":
      plain = isPlainJson(model, shape.value, visiting);
      break;
    case "structure":
      plain =
        shape.document === true ||
        Object.values(shape.members).every(
          (member) => !member.timestampFormat && isPlainJson(model, member.shape, visiting),
        );
      break;
    default:
      plain = true;
  }
  visiting.delete(shapeName);
  if (visiting.size === 0) cache.set(shapeName, plain);
  return plain;
}

export function encodeValue(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  memberTimestampFormat?: TimestampFormat,
): unknown {
  if (memberTimestampFormat === undefined && isPlainJson(model, shapeName)) return value;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "timestamp":
      return encodeTimestamp(value, memberTimestampFormat ?? shape.timestampFormat ?? "iso8601");
    case "blob":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    case "list":
      return Array.isArray(value) ? value.map((item) => encodeValue(model, shape.member, item)) : value;
    case "map": {
      if (typeof value !== "object" || value === null) return value;
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) result[key] = encodeValue(model, shape.value, item);
      return result;
    }
    case "structure": {
      if (shape.document || typeof value !== "object" || value === null) return value;
      const result: Record<string, unknown> = {};
      for (const [memberName, member] of Object.entries(shape.members)) {
        const memberValue = (value as Record<string, unknown>)[memberName];
        if (memberValue === undefined || memberValue === null) continue;
        result[memberName] = encodeValue(model, member.shape, memberValue, member.timestampFormat);
      }
      return result;
    }
    default:
      return value;
  }
}

function encodeTimestamp(value: unknown, format: TimestampFormat): unknown {
  const date = value instanceof Date ? value : new Date(value as string | number);
  if (Number.isNaN(date.getTime())) return value;
  if (format === "unixTimestamp") return date.getTime() / 1000;
  if (format === "rfc822") return date.toUTCString();
  return date.toISOString();
}

function headerText(shape: Shape, value: unknown): string {
  if (shape.type === "timestamp")
    return (value instanceof Date ? value : new Date(String(value))).toUTCString();
  return String(value);
}
