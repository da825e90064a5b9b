import { describe, expect, it } from "vitest";
import { invalidRequest } from "./openai-error.js";
import { encodeServerSentEvent, serverSentEventStream } from "./server-sent-events.js";

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let result = "";
  for await (const chunk of stream) result += decoder.decode(chunk);
  return result;
}

async function* values<Value>(...items: Value[]): AsyncGenerator<Value> {
  for (const item of items) yield item;
}

describe("server-sent events", () => {
  it("frames one JSON value per data event", () => {
    expect(new TextDecoder().decode(encodeServerSentEvent({ a: "b\nc" }))).toBe('data: {"a":"b\\nc"}\n\n');
  });

  it("ends a complete stream with [DONE]", async () => {
    const body = await text(serverSentEventStream(values({ n: 1 }, { n: 2 }), () => ({})));
    expect(body).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
  });

  it("turns a failure into one error event and ends without [DONE], never throwing", async () => {
    async function* failing() {
      yield { n: 1 };
      throw invalidRequest("it broke");
    }
    const body = await text(
      serverSentEventStream(failing(), (error) => ({ error: { message: (error as Error).message } })),
    );
    expect(body).toBe('data: {"n":1}\n\ndata: {"error":{"message":"it broke"}}\n\n');
  });

  it("closes the source when the consumer stops early", async () => {
    let closed = false;
    async function* endless() {
      try {
        for (let n = 0; ; n += 1) yield { n };
      } finally {
        closed = true;
      }
    }
    for await (const _chunk of serverSentEventStream(endless(), () => ({}))) break;
    expect(closed).toBe(true);
  });
});
