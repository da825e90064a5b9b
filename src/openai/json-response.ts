// A JSON WireResponse. `x-request-id` is the header the OpenAI clients surface as the request id.
import type { WireResponse } from "../protocol/wire-request.js";

export function jsonResponse(status: number, body: unknown, requestId: string): WireResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify(body),
  };
}
