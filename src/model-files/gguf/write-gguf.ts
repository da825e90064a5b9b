// A GGUF v3 writer. The header (metadata and tensor infos) is built in memory, then each tensor is encoded and
// written in turn, so only one tensor's data is held at a time when tensors are given lazily. The file is
// written under a temporary name next to the destination and renamed at the end: a crash or error never
// leaves a half-written model under the final name.
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { endianness } from "node:os";
import { basename, dirname, join } from "node:path";
import { encodeFloat16 } from "./float16.js";
import { ggmlTensorByteSize, ggmlTypeByName } from "./ggml-type.js";
import type { GgufMetadataEntry, GgufMetadataValue } from "./gguf-metadata-value.js";
import { GgufValueType } from "./gguf-value-type.js";
import { quantizeQ8_0 } from "./quantize-q8-0.js";

export type GgufWritableTensorType = "F32" | "F16" | "Q8_0";

export interface GgufTensorToWrite {
  name: string;
  /** ggml order: dimensions[0] (ne0) is the innermost, contiguous one. */
  dimensions: readonly number[];
  type: GgufWritableTensorType;
  /** Row-major values in ggml order; a function is called only when the tensor is written. */
  values: Float32Array | (() => Float32Array);
}

export interface GgufFileContents {
  metadata: readonly GgufMetadataEntry[];
  tensors: readonly GgufTensorToWrite[];
  /** Data alignment in bytes, a power of two; GGUF's default of 32 unless given (then general.alignment is written). */
  alignment?: number;
}

export interface WrittenGgufFile {
  path: string;
  fileSizeBytes: number;
}

const defaultAlignment = 32;
const ggufVersion = 3;
const maximumTensorNameBytes = 63;

/** Throws (before creating any file) when the contents are inconsistent, naming every problem found. */
export async function writeGguf(path: string, contents: GgufFileContents): Promise<WrittenGgufFile> {
  const alignment = contents.alignment ?? defaultAlignment;
  const problems = findProblems(contents, alignment);
  if (problems.length > 0) throw new Error(`Cannot write GGUF ${path}:\n- ${problems.join("\n- ")}`);

  const metadata: GgufMetadataEntry[] = [...contents.metadata];
  if (alignment !== defaultAlignment)
    metadata.push({ key: "general.alignment", value: { type: "uint32", value: alignment } });

  const layout = layOutTensors(contents.tensors, alignment);
  const header = new ByteBuilder();
  header.bytes(new TextEncoder().encode("GGUF"));
  header.uint32(ggufVersion);
  header.uint64(BigInt(contents.tensors.length));
  header.uint64(BigInt(metadata.length));
  for (const entry of metadata) {
    header.string(entry.key);
    writeValue(header, entry.value);
  }
  for (const [index, tensor] of contents.tensors.entries()) {
    header.string(tensor.name);
    header.uint32(tensor.dimensions.length);
    for (const extent of tensor.dimensions) header.uint64(BigInt(extent));
    header.uint32(ggmlTypeByName(tensor.type)?.id ?? 0);
    header.uint64(BigInt(layout.offsets[index] ?? 0));
  }
  header.padTo(alignment);

  const temporaryPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.partial`,
  );
  const handle = await open(temporaryPath, "wx");
  try {
    let written = await writeAll(handle, header.finish());
    for (const [index, tensor] of contents.tensors.entries()) {
      const values = typeof tensor.values === "function" ? tensor.values() : tensor.values;
      const expected = layout.elementCounts[index] ?? 0;
      if (values.length !== expected) {
        throw new Error(`tensor ${tensor.name}: ${values.length} values given for ${expected} elements`);
      }
      written += await writeAll(handle, encodeTensor(tensor.type, values));
      written += await writeAll(handle, new Uint8Array(paddingFor(written, alignment)));
    }
    await handle.sync();
    await handle.close();
    await rename(temporaryPath, path);
    return { path, fileSizeBytes: written };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporaryPath, { force: true });
    throw error;
  }
}

export function encodeTensor(type: GgufWritableTensorType, values: Float32Array): Uint8Array {
  switch (type) {
    case "F32":
      return encodeFloat32(values);
    case "F16":
      return encodeFloat16(values);
    case "Q8_0":
      return quantizeQ8_0(values);
  }
}

function encodeFloat32(values: Float32Array): Uint8Array {
  if (endianness() === "LE") return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index++) view.setFloat32(index * 4, values[index] ?? 0, true);
  return bytes;
}

function layOutTensors(tensors: readonly GgufTensorToWrite[], alignment: number) {
  const offsets: number[] = [];
  const elementCounts: number[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const elementCount = tensor.dimensions.reduce((product, extent) => product * extent, 1);
    const type = ggmlTypeByName(tensor.type);
    const byteSize = type === undefined ? 0 : ggmlTensorByteSize(type, elementCount);
    offsets.push(offset);
    elementCounts.push(elementCount);
    offset += byteSize + paddingFor(byteSize, alignment);
  }
  return { offsets, elementCounts };
}

function findProblems(contents: GgufFileContents, alignment: number): string[] {
  const problems: string[] = [];
  if (
    !Number.isInteger(alignment) ||
    alignment <= 0 ||
    (alignment & (alignment - 1)) !== 0 ||
    alignment > 2 ** 30
  ) {
    problems.push(`alignment ${alignment} is not a power of two`);
  }
  const keys = new Set<string>();
  for (const { key, value } of contents.metadata) {
    if (key.length === 0) problems.push("a metadata key is empty");
    if (keys.has(key)) problems.push(`metadata key ${key} appears twice`);
    if (key === "general.alignment") problems.push("general.alignment is set through the alignment option");
    keys.add(key);
    const problem = valueProblem(value);
    if (problem !== undefined) problems.push(`metadata ${key}: ${problem}`);
  }
  const names = new Set<string>();
  for (const tensor of contents.tensors) {
    const name = tensor.name;
    const nameBytes = Buffer.byteLength(name, "utf8");
    if (nameBytes === 0 || nameBytes > maximumTensorNameBytes) {
      problems.push(`tensor name "${name}" must be 1–${maximumTensorNameBytes} bytes`);
    }
    if (names.has(name)) problems.push(`tensor ${name} appears twice`);
    names.add(name);
    const type = ggmlTypeByName(tensor.type);
    if (type === undefined || !["F32", "F16", "Q8_0"].includes(tensor.type)) {
      problems.push(`tensor ${name}: cannot write type ${tensor.type}`);
      continue;
    }
    const dimensions = tensor.dimensions;
    if (dimensions.length < 1 || dimensions.length > 4) {
      problems.push(`tensor ${name} has ${dimensions.length} dimensions; ggml allows 1–4`);
    } else if (!dimensions.every((extent) => Number.isSafeInteger(extent) && extent > 0)) {
      problems.push(
        `tensor ${name} has dimensions [${dimensions.join(", ")}]; each must be a positive integer`,
      );
    } else if ((dimensions[0] ?? 0) % type.blockSize !== 0) {
      problems.push(
        `tensor ${name}: ${tensor.type} needs ne0 (${dimensions[0]}) to be a multiple of its block size ${type.blockSize}`,
      );
    }
    if (typeof tensor.values !== "function") {
      const elementCount = dimensions.reduce((product, extent) => product * extent, 1);
      if (tensor.values.length !== elementCount) {
        problems.push(`tensor ${name}: ${tensor.values.length} values given for ${elementCount} elements`);
      }
    }
  }
  return problems;
}

const integerRanges = {
  uint8: [0, 0xff],
  int8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
} as const;

const bigIntRanges = {
  uint64: [0n, 2n ** 64n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function valueProblem(value: GgufMetadataValue): string | undefined {
  const elements: readonly unknown[] = value.type === "array" ? value.values : [value.value];
  const type = value.type === "array" ? value.elementType : value.type;
  for (const element of elements) {
    if (type in integerRanges) {
      const [low, high] = integerRanges[type as keyof typeof integerRanges];
      if (typeof element !== "number" || !Number.isInteger(element) || element < low || element > high) {
        return `${String(element)} does not fit ${type}`;
      }
    } else if (type in bigIntRanges) {
      const [low, high] = bigIntRanges[type as keyof typeof bigIntRanges];
      if (typeof element !== "bigint" || element < low || element > high)
        return `${String(element)} does not fit ${type}`;
    } else if (type === "float32" || type === "float64") {
      if (typeof element !== "number") return `${String(element)} does not fit ${type}`;
    } else if (type === "bool") {
      if (typeof element !== "boolean") return `${String(element)} is not a bool`;
    } else if (typeof element !== "string") {
      return `${String(element)} is not a string`;
    }
  }
  return undefined;
}

function writeValue(builder: ByteBuilder, value: GgufMetadataValue): void {
  if (value.type !== "array") {
    builder.uint32(GgufValueType[value.type]);
    writeElement(builder, value.type, value.value);
    return;
  }
  builder.uint32(GgufValueType.array);
  builder.uint32(GgufValueType[value.elementType]);
  builder.uint64(BigInt(value.values.length));
  for (const element of value.values) writeElement(builder, value.elementType, element);
}

function writeElement(
  builder: ByteBuilder,
  type: Exclude<GgufMetadataValue["type"], "array">,
  value: unknown,
): void {
  // The value's type was checked against `type` by valueProblem before anything is written.
  const number = value as number;
  const bigint = value as bigint;
  switch (type) {
    case "uint8":
      builder.number(1, (view, at) => view.setUint8(at, number));
      break;
    case "int8":
      builder.number(1, (view, at) => view.setInt8(at, number));
      break;
    case "uint16":
      builder.number(2, (view, at) => view.setUint16(at, number, true));
      break;
    case "int16":
      builder.number(2, (view, at) => view.setInt16(at, number, true));
      break;
    case "uint32":
      builder.uint32(number);
      break;
    case "int32":
      builder.number(4, (view, at) => view.setInt32(at, number, true));
      break;
    case "float32":
      builder.number(4, (view, at) => view.setFloat32(at, number, true));
      break;
    case "float64":
      builder.number(8, (view, at) => view.setFloat64(at, number, true));
      break;
    case "uint64":
      builder.uint64(bigint);
      break;
    case "int64":
      builder.number(8, (view, at) => view.setBigInt64(at, bigint, true));
      break;
    case "bool":
      builder.number(1, (view, at) => view.setUint8(at, value === true ? 1 : 0));
      break;
    case "string":
      builder.string(value as string);
      break;
  }
}

/** A growable little-endian byte buffer for the header. */
class ByteBuilder {
  private buffer = new Uint8Array(64 * 1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;
  private readonly encoder = new TextEncoder();

  number(size: number, set: (view: DataView, at: number) => void): void {
    this.reserve(size);
    set(this.view, this.length);
    this.length += size;
  }

  uint32(value: number): void {
    this.number(4, (view, at) => view.setUint32(at, value, true));
  }

  uint64(value: bigint): void {
    this.number(8, (view, at) => view.setBigUint64(at, value, true));
  }

  string(value: string): void {
    const encoded = this.encoder.encode(value);
    this.uint64(BigInt(encoded.byteLength));
    this.bytes(encoded);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.byteLength);
    this.buffer.set(bytes, this.length);
    this.length += bytes.byteLength;
  }

  padTo(alignment: number): void {
    this.bytes(new Uint8Array(paddingFor(this.length, alignment)));
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(size: number): void {
    if (this.length + size <= this.buffer.byteLength) return;
    let capacity = this.buffer.byteLength * 2;
    while (capacity < this.length + size) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<number> {
  let offset = 0;
  // A write may be partial; keep going until every byte is down.
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
  return bytes.byteLength;
}

function paddingFor(offset: number, alignment: number): number {
  return (alignment - (offset % alignment)) % alignment;
}
