// The console's event-stream decoder against frames made by the AWS SDKs' codec (what the server writes),
// split into chunks at every possible boundary; damaged and truncated streams are errors.
import { EventStreamCodec, Int64 } from "@smithy/eventstream-codec";
import { describe, expect, it } from "vitest";
import {
  crc32,
  decodeEventStream,
  EventStreamFormatError,
} from "../../console/src/lib/event-stream-decoder.js";

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

function frame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      flag: { type: "boolean", value: true },
      count: { type: "integer", value: -7 },
      big: { type: "long", value: Int64.fromNumber(1234567890123) },
    },
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

const frames = [
  frame("messageStart", { role: "assistant" }),
  frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hello, wörld" } }),
  frame("metadata", { usage: { inputTokens: 5, outputTokens: 3 }, metrics: { latencyMs: 12 } }),
];
const stream = Buffer.concat(frames);

async function* chunks(bytes: Uint8Array, size: number) {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function decodeAll(source: AsyncIterable<Uint8Array>) {
  const messages = [];
  for await (const message of decodeEventStream(source)) messages.push(message);
  return messages;
}

describe("decodeEventStream", () => {
  it("computes the CRC-32 of the standard check string", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("decodes what @smithy/eventstream-codec encodes, however the bytes are chunked", async () => {
    for (const size of [1, 2, 3, 7, 16, 100, stream.length]) {
      const messages = await decodeAll(chunks(stream, size));
      expect(messages).toHaveLength(3);
      expect(messages.map((message) => message.headers[":event-type"])).toEqual([
        "messageStart",
        "contentBlockDelta",
        "metadata",
      ]);
      expect(messages[1]?.headers).toMatchObject({ flag: true, count: -7, big: 1234567890123 });
      expect(JSON.parse(new TextDecoder().decode(messages[1]?.payload))).toEqual({
        contentBlockIndex: 0,
        delta: { text: "Hello, wörld" },
      });
    }
  });

  it("refuses a damaged message", async () => {
    const damaged = Buffer.from(stream);
    const at = (frames[0]?.length ?? 0) + 20;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    await expect(decodeAll(chunks(damaged, 64))).rejects.toBeInstanceOf(EventStreamFormatError);
  });

  it("refuses a stream that ends inside a message", async () => {
    await expect(decodeAll(chunks(stream.subarray(0, stream.length - 5), 64))).rejects.toThrow(
      /ended inside/,
    );
  });
});
