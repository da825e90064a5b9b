// OpenAI's streaming framing: each chunk as one `data: <json>` event, then `data: [DONE]`. A failure after
// the 200 and the first bytes are out can no longer change the status, so it becomes one `data: {"error":…}`
// event (the official clients raise it as an APIError) and the stream ends without [DONE].
const encoder = new TextEncoder();

export const serverSentEventHeaders: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
};

export function encodeServerSentEvent(data: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
}

export const doneEvent: Uint8Array = encoder.encode("data: [DONE]\n\n");

/**
 * Frames every value of `source` as an event. Never throws: the HTTP layer writes this body after the headers,
 * where an exception would have nowhere to go. Stopping early (the client left) closes `source` too.
 */
export async function* serverSentEventStream(
  source: AsyncIterable<unknown>,
  errorBody: (error: unknown) => unknown,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    for await (const value of source) yield encodeServerSentEvent(value);
  } catch (error) {
    yield encodeServerSentEvent(errorBody(error));
    return;
  }
  yield doneEvent;
}
