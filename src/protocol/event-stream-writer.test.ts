import { EventStreamCodec } from "@smithy/eventstream-codec";
import { expect, it } from "vitest";
import { ThrottlingException } from "./aws-errors.js";
import { writeEventStream } from "./event-stream-writer.js";
import { bedrockRuntimeService } from "./generated/bedrock-runtime.js";

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

async function* events() {
  yield { messageStart: { role: "assistant" } };
  yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "Hi" } } };
  throw new ThrottlingException("slow down");
}

it("frames events and a mid-stream failure as the SDK's codec reads them", async () => {
  const frames: Uint8Array[] = [];
  for await (const frame of writeEventStream(bedrockRuntimeService, "ConverseStreamOutput", events()))
    frames.push(frame);
  const decoded = frames.map((frame) => codec.decode(frame));
  expect(
    decoded.map(
      (message) => message.headers[":event-type"]?.value ?? message.headers[":exception-type"]?.value,
    ),
  ).toEqual(["messageStart", "contentBlockDelta", "throttlingException"]);
  expect(decoded[2]?.headers[":message-type"]?.value).toBe("exception");
  expect(JSON.parse(Buffer.from(decoded[1]?.body ?? []).toString())).toEqual({
    contentBlockIndex: 0,
    delta: { text: "Hi" },
  });
  expect(JSON.parse(Buffer.from(decoded[2]?.body ?? []).toString())).toEqual({ message: "slow down" });
});
