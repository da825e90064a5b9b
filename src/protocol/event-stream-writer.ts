// Turns an operation's AsyncIterable of union events into AWS event-stream frames (bedrock-api.md §4) with
// the SDK's own codec. An event whose member is an exception shape, or an AwsError thrown by the iterable,
// becomes an exception frame with the lowerCamelCase member name — the only form the SDK maps back to its
// typed exception.
import { EventStreamCodec, type MessageHeaders } from "@smithy/eventstream-codec";
import { AwsError, InternalServerException } from "./aws-errors.js";
import { shapeOf } from "./decode-value.js";
import { encodeValue } from "./encode-response.js";
import type { ServiceModel, StructureShape } from "./service-model.js";

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

function stringHeader(value: string) {
  return { type: "string" as const, value };
}

function frame(headers: MessageHeaders, payload: unknown): Uint8Array {
  return codec.encode({ headers, body: new Uint8Array(Buffer.from(JSON.stringify(payload), "utf8")) });
}

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export async function* writeEventStream(
  model: ServiceModel,
  unionShapeName: string,
  events: AsyncIterable<unknown>,
): AsyncGenerator<Uint8Array> {
  const union = shapeOf(model, unionShapeName) as StructureShape;
  try {
    for await (const event of events) {
      const [memberName, payload] = Object.entries(event as Record<string, unknown>)[0] ?? [];
      const member = memberName ? union.members[memberName] : undefined;
      if (!memberName || !member) continue;
      const memberShape = shapeOf(model, member.shape);
      const isException = memberShape.type === "structure" && memberShape.exception === true;
      const headers: MessageHeaders = isException
        ? {
            ":message-type": stringHeader("exception"),
            ":exception-type": stringHeader(memberName),
            ":content-type": stringHeader("application/json"),
          }
        : {
            ":message-type": stringHeader("event"),
            ":event-type": stringHeader(memberName),
            ":content-type": stringHeader("application/json"),
          };
      yield frame(headers, encodeValue(model, member.shape, payload));
    }
  } catch (error) {
    yield exceptionFrame(union, error);
  }
}

/** A failure after the 200 went out can only travel as an exception frame inside the stream. */
function exceptionFrame(union: StructureShape, error: unknown): Uint8Array {
  const awsError = error instanceof AwsError ? error : new InternalServerException();
  let memberName = lowerCamel(awsError.errorType);
  if (!union.members[memberName]) memberName = "internalServerException";
  const payload: Record<string, unknown> = { message: awsError.message };
  for (const [key, value] of Object.entries(awsError.extraMembers))
    if (value !== undefined) payload[key] = value;
  return frame(
    {
      ":message-type": stringHeader("exception"),
      ":exception-type": stringHeader(memberName),
      ":content-type": stringHeader("application/json"),
    },
    payload,
  );
}
