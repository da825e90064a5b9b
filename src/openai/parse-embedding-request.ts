// Validates a /v1/embeddings body. The official clients ask for base64 unless told otherwise, so both
// encodings are served.
import {
  optionalNumber,
  optionalString,
  type ParseResult,
  parseWith,
  requiredField,
  requireObject,
  requireString,
  typeError,
  unsupportedError,
  valueError,
} from "./request-fields.js";

export interface EmbeddingRequest {
  model: string;
  inputs: string[];
  encodingFormat: "float" | "base64";
  /** When set, the model's vector length must match: Strata cannot shorten embeddings. */
  dimensions?: number;
}

/** OpenAI's own limit on inputs per request. */
const maximumInputs = 2048;

export function parseEmbeddingRequest(body: unknown): ParseResult<EmbeddingRequest> {
  return parseWith(() => {
    const object = requireObject(body, "body");
    const model = requireString(requiredField(object, "model"), "model");
    if (model.length === 0) throw valueError("model", "expected a non-empty model id.");
    const inputs = parseInputs(requiredField(object, "input"));
    const encodingFormat = optionalString(object, "encoding_format") ?? "float";
    if (encodingFormat !== "float" && encodingFormat !== "base64") {
      throw valueError("encoding_format", `expected 'float' or 'base64', but got '${encodingFormat}'.`);
    }
    const dimensions = optionalNumber(object, "dimensions", { integer: true, minimum: 1 });
    return { model, inputs, encodingFormat, ...(dimensions === undefined ? {} : { dimensions }) };
  });
}

function parseInputs(value: unknown): string[] {
  if (typeof value === "string") {
    if (value.length === 0) throw valueError("input", "expected a non-empty string.");
    return [value];
  }
  if (!Array.isArray(value)) throw typeError("input", "a string or an array of strings", value);
  if (value.length === 0) throw valueError("input", "expected at least one input.");
  if (value.length > maximumInputs) {
    throw valueError("input", `expected at most ${maximumInputs} inputs, but got ${value.length}.`);
  }
  return value.map((item, index) => {
    if (typeof item === "number" || Array.isArray(item)) {
      throw unsupportedError(`input[${index}]`, "Token-id inputs are not supported: send text.");
    }
    const text = requireString(item, `input[${index}]`);
    if (text.length === 0) throw valueError(`input[${index}]`, "expected a non-empty string.");
    return text;
  });
}
