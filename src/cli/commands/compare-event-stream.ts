// The CLI's reader of an AWS event stream (bedrock-api.md §4): the bytes cut into frames by their length prelude,
// each frame decoded and checked (CRCs) by the same Smithy codec the server writes them with, each event's JSON
// payload parsed; an exception frame becomes a CliError.
import { EventStreamCodec, type Message } from "@smithy/eventstream-codec";
import { CliError } from "../cli-error.js";

/** Events as `{ [eventType]: payload }`, the form the operation yielded them in. */
export async function* readEventStream(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Record<string, unknown>> {
  const codec = new EventStreamCodec(
    (bytes) => Buffer.from(bytes).toString("utf8"),
    (text) => new Uint8Array(Buffer.from(text, "utf8")),
  );
  let buffered = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buffered = Buffer.concat([buffered, chunk]);
    // Every frame starts with its total length (4 bytes, big-endian), the prelude's first field.
    while (buffered.length >= 4 && buffered.length >= buffered.readUInt32BE(0)) {
      const length = buffered.readUInt32BE(0);
      let message: Message;
      try {
        message = codec.decode(buffered.subarray(0, length));
      } catch (error) {
        throw new CliError(`the server sent a malformed event-stream frame: ${(error as Error).message}`);
      }
      buffered = buffered.subarray(length);
      yield eventOf(message);
    }
  }
  if (buffered.length > 0) throw new CliError("the event stream ended in the middle of a frame");
}

function eventOf(message: Message): Record<string, unknown> {
  const header = (name: string) => {
    const value = message.headers[name]?.value;
    return typeof value === "string" ? value : undefined;
  };
  const text = Buffer.from(message.body).toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new CliError(`the server sent an event that is not JSON: ${text.slice(0, 200)}`);
  }
  if (header(":message-type") === "exception") {
    const detail = (payload as { message?: unknown }).message;
    throw new CliError(`${header(":exception-type") ?? "exception"}: ${String(detail ?? "")}`);
  }
  return { [header(":event-type") ?? "unknown"]: payload };
}
