// Decodes application/vnd.amazon.eventstream (what ConverseStream answers with) from the chunks of a fetch
// body: each message is a 12-byte prelude (total length, headers length, prelude CRC32), headers, payload and
// a CRC32 of everything before it. Chunks split messages anywhere; a message is yielded once it is complete.
// Checked against @smithy/eventstream-codec in test/console/event-stream-decoder.test.ts.

export type HeaderValue = string | number | boolean | Uint8Array;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Uint8Array;
}

export class EventStreamFormatError extends Error {
  override readonly name = "EventStreamFormatError";
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crc >>> 8) ^ (crcTable[(crc ^ byte) & 0xff] ?? 0);
  return (crc ^ 0xffffffff) >>> 0;
}

const decoder = new TextDecoder();

function readHeaders(bytes: Uint8Array): Record<string, HeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Record<string, HeaderValue> = {};
  let offset = 0;
  while (offset < bytes.length) {
    const nameLength = view.getUint8(offset);
    offset += 1;
    const name = decoder.decode(bytes.subarray(offset, offset + nameLength));
    offset += nameLength;
    const type = view.getUint8(offset);
    offset += 1;
    switch (type) {
      case 0:
        headers[name] = true;
        break;
      case 1:
        headers[name] = false;
        break;
      case 2:
        headers[name] = view.getInt8(offset);
        offset += 1;
        break;
      case 3:
        headers[name] = view.getInt16(offset);
        offset += 2;
        break;
      case 4:
        headers[name] = view.getInt32(offset);
        offset += 4;
        break;
      case 5:
      case 8:
        // 64-bit integer / timestamp (ms): exact below 2^53, which every value here is.
        headers[name] = Number(view.getBigInt64(offset));
        offset += 8;
        break;
      case 6:
      case 7: {
        const length = view.getUint16(offset);
        offset += 2;
        const value = bytes.subarray(offset, offset + length);
        headers[name] = type === 7 ? decoder.decode(value) : value.slice();
        offset += length;
        break;
      }
      case 9:
        headers[name] = bytes.slice(offset, offset + 16);
        offset += 16;
        break;
      default:
        throw new EventStreamFormatError(`unknown header value type ${type} for ${name}`);
    }
  }
  return headers;
}

function readMessage(bytes: Uint8Array): EventStreamMessage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headersLength = view.getUint32(4);
  if (view.getUint32(8) !== crc32(bytes.subarray(0, 8)))
    throw new EventStreamFormatError("prelude CRC mismatch");
  if (view.getUint32(bytes.length - 4) !== crc32(bytes.subarray(0, bytes.length - 4))) {
    throw new EventStreamFormatError("message CRC mismatch");
  }
  return {
    headers: readHeaders(bytes.subarray(12, 12 + headersLength)),
    payload: bytes.slice(12 + headersLength, bytes.length - 4),
  };
}

/** Messages from a stream of byte chunks; throws EventStreamFormatError on a damaged or truncated stream. */
export async function* decodeEventStream(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamMessage> {
  let buffer = new Uint8Array(0);
  for await (const chunk of chunks) {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    while (buffer.length >= 12) {
      const totalLength = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
      if (totalLength < 16) throw new EventStreamFormatError(`message length ${totalLength} is too small`);
      if (buffer.length < totalLength) break;
      yield readMessage(buffer.subarray(0, totalLength));
      buffer = buffer.slice(totalLength);
    }
  }
  if (buffer.length > 0) throw new EventStreamFormatError("the stream ended inside a message");
}

/** A fetch body as an async iterable of chunks (ReadableStream is not async-iterable in every browser). */
export async function* readBody(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
