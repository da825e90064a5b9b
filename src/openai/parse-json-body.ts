// The body of a POST: JSON, or OpenAI's 400 for a body it cannot parse.
import { invalidRequest } from "./openai-error.js";
import type { ParseResult } from "./request-fields.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

export function parseJsonBody(body: Uint8Array): ParseResult<unknown> {
  try {
    return { success: true, value: JSON.parse(decoder.decode(body)) };
  } catch {
    return {
      success: false,
      error: invalidRequest(
        "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload (Content-Type: application/json).",
        null,
        "invalid_json",
      ),
    };
  }
}
