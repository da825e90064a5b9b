// The raw InvokeModel body as JSON. Bedrock documents application/json; the SDK sends
// application/octet-stream when the caller sets no contentType (bedrock-api.md §3.2), so both are JSON here.
// Anything that does not parse is Bedrock's "Malformed input request".
import { ValidationException } from "../../protocol/aws-errors.js";

const acceptedContentTypes = ["application/json", "application/octet-stream"];
const acceptedResponseTypes = ["application/json", "application/*", "*/*"];

function mediaType(value: string): string {
  return (value.split(";")[0] ?? "").trim().toLowerCase();
}

export function readNativeBody(body: Uint8Array | undefined, contentType: string | undefined): unknown {
  if (contentType !== undefined && !acceptedContentTypes.includes(mediaType(contentType))) {
    throw new ValidationException(
      `The content type ${contentType} is not supported: send the body as application/json (application/octet-stream, the SDK's default, is read as JSON too).`,
    );
  }
  return parseJsonBody(body);
}

/** JSON from bytes, or a ValidationException saying why not. */
export function parseJsonBody(body: Uint8Array | undefined): unknown {
  if (!body || body.length === 0) {
    throw new ValidationException(
      "Malformed input request: the body is empty; send the model's native JSON body.",
    );
  }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationException(
      `Malformed input request: the body is not valid JSON (${(error as Error).message}).`,
    );
  }
}

/** The response is JSON: a caller that accepts nothing JSON-compatible is told so up front. */
export function assertAcceptsJson(accept: string | undefined, headerName: string): void {
  if (accept === undefined || accept.trim() === "") return;
  const types = accept.split(",").map(mediaType);
  if (types.some((type) => acceptedResponseTypes.includes(type))) return;
  throw new ValidationException(
    `The ${headerName} header ${accept} is not supported: the model's response is application/json.`,
  );
}
