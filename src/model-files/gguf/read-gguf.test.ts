import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GgufByteSource } from "./gguf-byte-source.js";
import type { GgufMetadataEntry } from "./gguf-metadata-value.js";
import { readGgufHeader } from "./read-gguf.js";
import { encodeTensor, writeGguf } from "./write-gguf.js";

const temporaryDirectory = mkdtempSync(join(tmpdir(), "strata-gguf-"));

// Raw little-endian pieces for hand-made (and deliberately broken) files, independent of writeGguf.
function concat(...parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.byteLength;
  }
  return result;
}
function fixed(size: number, set: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  set(new DataView(bytes.buffer));
  return bytes;
}
const u8 = (value: number) => fixed(1, (view) => view.setUint8(0, value));
const u32 = (value: number) => fixed(4, (view) => view.setUint32(0, value, true));
const u64 = (value: bigint | number) => fixed(8, (view) => view.setBigUint64(0, BigInt(value), true));
const i64 = (value: bigint | number) => fixed(8, (view) => view.setBigInt64(0, BigInt(value), true));
const ascii = (text: string) => new TextEncoder().encode(text);
const str = (text: string) => concat(u64(ascii(text).byteLength), ascii(text));
const prefix = (tensorCount: bigint | number, metadataCount: bigint | number, version = 3) =>
  concat(ascii("GGUF"), u32(version), i64(tensorCount), i64(metadataCount));
const stringEntry = (key: string, value: string) => concat(str(key), u32(8), str(value));
const uint32Entry = (key: string, value: number) => concat(str(key), u32(4), u32(value));
const tensorInfo = (name: string, dimensions: (bigint | number)[], type: number, offset: bigint | number) =>
  concat(str(name), u32(dimensions.length), ...dimensions.map(i64), u32(type), u64(offset));
/** A header followed by zero padding up to 32 bytes and `dataBytes` of data. */
function withData(header: Uint8Array, dataBytes: number): Uint8Array {
  const padding = (32 - (header.byteLength % 32)) % 32;
  return concat(header, new Uint8Array(padding + dataBytes));
}

async function expectFailure(input: Uint8Array, pattern: RegExp): Promise<string> {
  const result = await readGgufHeader(input);
  expect(result.ok).toBe(false);
  const reason = result.ok ? "" : result.reason;
  expect(reason).toMatch(pattern);
  return reason;
}

const everyValueType: GgufMetadataEntry[] = [
  { key: "test.uint8", value: { type: "uint8", value: 255 } },
  { key: "test.int8", value: { type: "int8", value: -128 } },
  { key: "test.uint16", value: { type: "uint16", value: 65535 } },
  { key: "test.int16", value: { type: "int16", value: -32768 } },
  { key: "test.uint32", value: { type: "uint32", value: 0xffffffff } },
  { key: "test.int32", value: { type: "int32", value: -0x80000000 } },
  { key: "test.float32", value: { type: "float32", value: 1.5 } },
  { key: "test.float64", value: { type: "float64", value: Math.PI } },
  { key: "test.bool.true", value: { type: "bool", value: true } },
  { key: "test.bool.false", value: { type: "bool", value: false } },
  { key: "test.string", value: { type: "string", value: "héllo ✓ <|im_start|>\n" } },
  { key: "test.string.empty", value: { type: "string", value: "" } },
  { key: "test.uint64", value: { type: "uint64", value: 2n ** 64n - 1n } },
  { key: "test.int64", value: { type: "int64", value: -(2n ** 63n) } },
  { key: "test.array.uint8", value: { type: "array", elementType: "uint8", values: [0, 1, 255] } },
  { key: "test.array.int8", value: { type: "array", elementType: "int8", values: [-128, 0, 127] } },
  { key: "test.array.uint16", value: { type: "array", elementType: "uint16", values: [0, 65535] } },
  { key: "test.array.int16", value: { type: "array", elementType: "int16", values: [-32768, 32767] } },
  { key: "test.array.uint32", value: { type: "array", elementType: "uint32", values: [0, 0xffffffff] } },
  { key: "test.array.int32", value: { type: "array", elementType: "int32", values: [-1, 6, 3] } },
  {
    key: "test.array.float32",
    value: { type: "array", elementType: "float32", values: [0.25, Math.fround(-1e-5), Math.fround(3e38)] },
  },
  { key: "test.array.float64", value: { type: "array", elementType: "float64", values: [Math.E, -0.1] } },
  { key: "test.array.bool", value: { type: "array", elementType: "bool", values: [true, false, true] } },
  { key: "test.array.string", value: { type: "array", elementType: "string", values: ["Ġt he", "", "✓"] } },
  { key: "test.array.uint64", value: { type: "array", elementType: "uint64", values: [0n, 2n ** 64n - 1n] } },
  { key: "test.array.int64", value: { type: "array", elementType: "int64", values: [-(2n ** 63n), 7n] } },
  { key: "test.array.empty", value: { type: "array", elementType: "uint32", values: [] } },
];

describe("writeGguf → readGgufHeader", () => {
  it("round-trips metadata of every value type and tensor infos of every writable type", async () => {
    const path = join(temporaryDirectory, "every-type.gguf");
    const ramp = (count: number) => new Float32Array(count).map((_, index) => (index - count / 2) / 7);
    const tensors = [
      { name: "a.f32", dimensions: [5], type: "F32" as const, values: ramp(5) },
      { name: "b.f16", dimensions: [3, 2], type: "F16" as const, values: ramp(6) },
      { name: "c.q8_0", dimensions: [64, 3, 2], type: "Q8_0" as const, values: () => ramp(384) },
      { name: "d.f32.4d", dimensions: [2, 1, 3, 2], type: "F32" as const, values: ramp(12) },
    ];
    const written = await writeGguf(path, { metadata: everyValueType, tensors });

    const result = await readGgufHeader(path);
    if (!result.ok) throw new Error(result.reason);
    const header = result.header;
    expect(header.version).toBe(3);
    expect(header.alignment).toBe(32);
    expect(header.fileSizeBytes).toBe(written.fileSizeBytes);
    expect([...header.metadata.entries()]).toEqual(everyValueType.map((entry) => [entry.key, entry.value]));

    expect(header.dataSectionOffset % 32).toBe(0);
    const file = readFileSync(path);
    expect(
      header.tensors.map(({ name, dimensions, typeName, byteSize, elementCount }) => ({
        name,
        dimensions,
        typeName,
        byteSize,
        elementCount,
      })),
    ).toEqual([
      { name: "a.f32", dimensions: [5], typeName: "F32", byteSize: 20, elementCount: 5 },
      { name: "b.f16", dimensions: [3, 2], typeName: "F16", byteSize: 12, elementCount: 6 },
      { name: "c.q8_0", dimensions: [64, 3, 2], typeName: "Q8_0", byteSize: 12 * 34, elementCount: 384 },
      { name: "d.f32.4d", dimensions: [2, 1, 3, 2], typeName: "F32", byteSize: 48, elementCount: 12 },
    ]);
    for (const [index, tensor] of header.tensors.entries()) {
      const source = tensors[index];
      if (source === undefined) throw new Error("missing tensor");
      expect(tensor.offset % 32).toBe(0);
      expect(tensor.fileOffset).toBe(header.dataSectionOffset + tensor.offset);
      const values = typeof source.values === "function" ? source.values() : source.values;
      const stored = file.subarray(tensor.fileOffset, tensor.fileOffset + tensor.byteSize);
      expect(Buffer.from(stored).equals(Buffer.from(encodeTensor(source.type, values)))).toBe(true);
    }
  });

  it("honours a custom alignment through general.alignment", async () => {
    const path = join(temporaryDirectory, "aligned-64.gguf");
    await writeGguf(path, {
      metadata: [{ key: "general.name", value: { type: "string", value: "x" } }],
      tensors: [
        { name: "a", dimensions: [3], type: "F32", values: new Float32Array(3) },
        { name: "b", dimensions: [3], type: "F32", values: new Float32Array([1, 2, 3]) },
      ],
      alignment: 64,
    });
    const result = await readGgufHeader(path);
    if (!result.ok) throw new Error(result.reason);
    expect(result.header.alignment).toBe(64);
    expect(result.header.metadata.get("general.alignment")).toEqual({ type: "uint32", value: 64 });
    expect(result.header.dataSectionOffset % 64).toBe(0);
    expect(result.header.tensors.map((tensor) => tensor.offset)).toEqual([0, 64]);
  });

  it("reads version 2 files, whose little-endian layout is the same", async () => {
    const bytes = withData(
      concat(prefix(1, 1, 2), stringEntry("general.name", "v2"), tensorInfo("t", [4], 0, 0)),
      16,
    );
    const result = await readGgufHeader(bytes);
    if (!result.ok) throw new Error(result.reason);
    expect(result.header.version).toBe(2);
    expect(result.header.tensors[0]).toMatchObject({
      name: "t",
      dimensions: [4],
      typeName: "F32",
      byteSize: 16,
    });
  });

  it("treats keys such as __proto__ as plain keys", async () => {
    const result = await readGgufHeader(withData(concat(prefix(0, 1), stringEntry("__proto__", "x")), 0));
    if (!result.ok) throw new Error(result.reason);
    expect(result.header.metadata.get("__proto__")).toEqual({ type: "string", value: "x" });
  });
});

describe("readGgufHeader on malformed files", () => {
  it("rejects a wrong magic number", async () => {
    await expectFailure(
      concat(ascii("GGML"), u32(3), i64(0), i64(0)),
      /magic number at byte 0 is 47 47 4d 4c/,
    );
    await expectFailure(
      new Uint8Array(0),
      /truncated: the magic number at byte 0 needs 4 bytes but the file ends/,
    );
  });

  it("rejects versions 1 and 4, and big-endian files", async () => {
    await expectFailure(prefix(0, 0, 1), /unsupported GGUF version 1 at byte 4/);
    await expectFailure(prefix(0, 0, 4), /unsupported GGUF version 4 at byte 4/);
    await expectFailure(prefix(0, 0, 0x03000000), /big-endian/);
  });

  it("names what was cut off, and where, when a file is truncated anywhere in its header or data", async () => {
    const path = join(temporaryDirectory, "to-truncate.gguf");
    await writeGguf(path, {
      metadata: everyValueType,
      tensors: [
        { name: "weights", dimensions: [64, 2], type: "Q8_0", values: new Float32Array(128).fill(0.5) },
      ],
    });
    const whole = new Uint8Array(readFileSync(path));
    const parsed = await readGgufHeader(whole);
    if (!parsed.ok) throw new Error(parsed.reason);
    const dataStart = parsed.header.dataSectionOffset;
    const cuts = [
      3,
      4,
      7,
      8,
      15,
      16,
      23,
      24,
      30,
      40,
      100,
      250,
      500,
      dataStart - 40,
      dataStart - 1,
      dataStart + 10,
    ];
    for (const cut of cuts) {
      const result = await readGgufHeader(whole.subarray(0, cut));
      expect(result.ok, `cut at ${cut}`).toBe(false);
      if (!result.ok) expect(result.reason, `cut at ${cut}`).toMatch(/bytes? \d+|remain/);
    }
    await expectFailure(
      whole.subarray(0, 7),
      /truncated: the version at byte 4 needs 4 bytes but the file ends at byte 7/,
    );
    await expectFailure(whole.subarray(0, 12), /truncated: the tensor count at byte 8/);
    await expectFailure(
      whole.subarray(0, dataStart + 10),
      /"weights" spans bytes \d+–\d+, past the end of the file/,
    );
  });

  it("rejects absurd string lengths without allocating them", async () => {
    const room = new Uint8Array(16); // enough bytes left that the entry count itself is plausible
    await expectFailure(
      concat(prefix(0, 1), u64(2n ** 40n), ascii("key"), room),
      /key of metadata entry 0 at byte 24 claims 1099511627776 bytes, beyond the limit/,
    );
    await expectFailure(
      concat(prefix(0, 1), u64(1000), ascii("key"), room),
      /claims 1000 bytes but only 19 remain/,
    );
    await expectFailure(
      concat(prefix(0, 1), str("k"), u32(8), u64(2n ** 62n)),
      /the value of "k" at byte \d+ claims 4611686018427387904 bytes/,
    );
  });

  it("rejects absurd array lengths", async () => {
    const arrayHead = (elementType: number, count: bigint | number) =>
      concat(prefix(0, 1), str("tokenizer.ggml.tokens"), u32(9), u32(elementType), u64(count));
    await expectFailure(
      arrayHead(4, 2n ** 40n),
      /array "tokenizer.ggml.tokens" at byte \d+ claims 1099511627776 elements, beyond the limit/,
    );
    await expectFailure(
      concat(arrayHead(4, 1_000_000), u32(1)),
      /claims 1000000 uint32 elements \(at least 4000000 bytes\) but only 4 bytes remain/,
    );
    await expectFailure(concat(arrayHead(8, 100_000), str("a")), /claims 100000 string elements/);
    await expectFailure(concat(arrayHead(9, 1), u32(4), u64(1)), /nests arrays/);
    await expectFailure(concat(arrayHead(13, 1)), /unknown element type 13/);
  });

  it("rejects huge or negative counts", async () => {
    await expectFailure(
      prefix(2n ** 40n, 0),
      /the tensor count at byte 8 is 1099511627776, beyond the limit of 1000000/,
    );
    await expectFailure(
      prefix(10_000, 0),
      /the tensor count at byte 8 is 10000, which needs at least 240000 bytes but only 8 remain/,
    );
    await expectFailure(prefix(-1, 0), /the tensor count at byte 8 is negative/);
    await expectFailure(prefix(0, 2n ** 50n), /the metadata entry count at byte 16 is \d+, beyond the limit/);
  });

  it("rejects tensor data past the end of the file", async () => {
    await expectFailure(
      withData(concat(prefix(1, 0), tensorInfo("t", [8], 0, 0)), 16),
      /the data of tensor "t" spans bytes 64–96, past the end of the file \(80 bytes\)/,
    );
    await expectFailure(
      withData(concat(prefix(1, 0), tensorInfo("t", [8], 0, 2n ** 40n)), 32),
      /data offset 1099511627776 at byte \d+, past the end of the file/,
    );
    await expectFailure(
      withData(concat(prefix(1, 0), tensorInfo("t", [1 << 20], 0, 0)), 32),
      /needs 4194304 bytes of data, more than the whole file/,
    );
  });

  it("rejects bad tensor infos", async () => {
    const oneTensor = (info: Uint8Array) => withData(concat(prefix(1, 0), info), 64);
    await expectFailure(
      oneTensor(tensorInfo("t", [2n ** 31n, 2n ** 31n, 2n ** 31n], 0, 0)),
      /dimensions of tensor "t" \(info at byte 24\) overflow/,
    );
    await expectFailure(
      oneTensor(tensorInfo("t", [-4], 0, 0)),
      /dimension 0 of tensor "t" \(info at byte 24\) at byte 37 is negative/,
    );
    await expectFailure(
      oneTensor(tensorInfo("t", [1, 1, 1, 1, 1], 0, 0)),
      /has 5 dimensions at byte 33; ggml allows at most 4/,
    );
    await expectFailure(
      oneTensor(tensorInfo("t", [4], 99, 0)),
      /tensor "t" \(info at byte 24\) has unknown ggml type 99 at byte 45/,
    );
    await expectFailure(oneTensor(tensorInfo("t", [4], 4, 0)), /unknown ggml type 4/);
    await expectFailure(
      oneTensor(tensorInfo("t", [30], 8, 0)),
      /type Q8_0 has rows of 30 elements, not a multiple of its block size 32/,
    );
    await expectFailure(
      oneTensor(tensorInfo("t", [4], 0, 8)),
      /data offset 8, not a multiple of the alignment 32/,
    );
    await expectFailure(
      oneTensor(tensorInfo("x".repeat(64), [4], 0, 0)),
      /64 bytes, longer than ggml's limit of 63/,
    );
    await expectFailure(oneTensor(tensorInfo("", [4], 0, 0)), /tensor 0 at byte 24 has an empty name/);
    const twoTensors = (first: Uint8Array, second: Uint8Array) =>
      withData(concat(prefix(2, 0), first, second), 128);
    await expectFailure(
      twoTensors(tensorInfo("t", [4], 0, 0), tensorInfo("t", [4], 0, 32)),
      /duplicate tensor name "t"/,
    );
    await expectFailure(
      twoTensors(tensorInfo("a", [16], 0, 0), tensorInfo("b", [4], 0, 32)),
      /tensors "a" and "b" overlap/,
    );
  });

  it("rejects bad metadata entries", async () => {
    await expectFailure(
      concat(prefix(0, 1), str("k"), u32(13), u32(0)),
      /metadata "k" has unknown value type 13 at byte 33/,
    );
    await expectFailure(
      concat(prefix(0, 1), str("k"), u32(7), u8(2)),
      /the value of "k" at byte 37 is a bool stored as 2/,
    );
    await expectFailure(
      concat(prefix(0, 2), uint32Entry("k", 1), uint32Entry("k", 2)),
      /duplicate metadata key "k" at byte 41/,
    );
    await expectFailure(
      concat(prefix(0, 1), str(""), u32(4), u32(1)),
      /metadata entry 0 at byte 24 has an empty key/,
    );
    await expectFailure(
      concat(prefix(0, 1), uint32Entry("general.alignment", 48)),
      /general.alignment is 48, not a power of two/,
    );
    await expectFailure(
      concat(prefix(0, 1), str("general.alignment"), u32(10), u64(32)),
      /general.alignment must be a uint32 but is a uint64/,
    );
  });

  it("quotes and clips names from the file in its reasons", async () => {
    const hostileKey = `${"x".repeat(10_000)}\n`;
    const reason = await expectFailure(
      concat(prefix(0, 1), str(hostileKey), u32(13), u32(0)),
      /unknown value type 13/,
    );
    expect(reason.length).toBeLessThan(200);
    expect(reason).not.toContain("\n");
  });

  it("reports a missing file instead of throwing", async () => {
    const result = await readGgufHeader(join(temporaryDirectory, "does-not-exist.gguf"));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^cannot open .*does-not-exist\.gguf: ENOENT/),
    });
  });
});

describe("readGgufHeader's reading", () => {
  /** A source of `size` bytes that holds `header` and zeros after it, recording every read. */
  function recordingSource(header: Uint8Array, size: number) {
    const reads: { offset: number; length: number }[] = [];
    const source: GgufByteSource = {
      size,
      read: async (offset, length) => {
        reads.push({ offset, length });
        const end = Math.min(size, offset + length);
        const bytes = new Uint8Array(end - offset);
        if (offset < header.byteLength) bytes.set(header.subarray(offset, Math.min(end, header.byteLength)));
        return bytes;
      },
    };
    return { source, reads };
  }

  it("reads only the header of a large file, in bounded chunks", async () => {
    const header = withData(
      concat(prefix(1, 1), stringEntry("general.architecture", "llama"), tensorInfo("t", [2n ** 30n], 0, 0)),
      0,
    );
    const { source, reads } = recordingSource(header, 8 * 2 ** 30);
    const result = await readGgufHeader(source);
    expect(result.ok).toBe(true);
    expect(result.ok && result.header.tensors[0]?.byteSize).toBe(4 * 2 ** 30);
    expect(reads.every((read) => read.offset < header.byteLength && read.length <= 64 * 1024)).toBe(true);
  });

  it("does not request absurd lengths even when the file is big enough to hold them", async () => {
    const header = concat(prefix(0, 1), u64(2n ** 33n));
    const { source, reads } = recordingSource(header, 2 ** 40);
    const result = await readGgufHeader(source);
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/claims 8589934592 bytes, beyond the limit/),
    });
    expect(Math.max(...reads.map((read) => read.length))).toBeLessThanOrEqual(64 * 1024);
  });

  it("turns a failing byte source into a reason", async () => {
    const source: GgufByteSource = {
      size: 100,
      read: async () => {
        throw new Error("disk on fire");
      },
    };
    expect(await readGgufHeader(source)).toEqual({
      ok: false,
      reason: "cannot read the GGUF header: disk on fire",
    });
  });
});
