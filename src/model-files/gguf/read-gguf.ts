// Strata's own GGUF header parser (versions 2 and 3, little-endian). A model file is untrusted input: every
// count and length is checked against the file size and against limits before anything is allocated, and
// every failure comes back as a reason naming what was wrong and at which byte. Only the header region is
// read, in chunks at offsets, so a multi-gigabyte model costs a few reads.
import { ggmlTypeById } from "./ggml-type.js";
import {
  type GgufByteSource,
  memoryByteSource,
  type OpenedFileByteSource,
  openFileByteSource,
} from "./gguf-byte-source.js";
import type { GgufHeader, GgufTensorInfo } from "./gguf-header.js";
import type { GgufMetadataValue } from "./gguf-metadata-value.js";
import { type GgufElementTypeName, ggufElementMinimumSize, ggufValueTypeName } from "./gguf-value-type.js";

export type { GgufHeader, GgufTensorInfo } from "./gguf-header.js";
export { summarizeLlamaFamilyModel } from "./summarize-llama-family-model.js";

export interface GgufReadLimits {
  /** Longest metadata string or tensor name accepted; chat templates are tens of kilobytes. */
  maxStringBytes: number;
  /** Most elements in one metadata array; the largest real vocabularies have a few hundred thousand. */
  maxArrayElements: number;
  maxTensorCount: number;
  maxMetadataCount: number;
}

export const defaultGgufReadLimits: Readonly<GgufReadLimits> = {
  maxStringBytes: 64 * 1024 * 1024,
  maxArrayElements: 16 * 1024 * 1024,
  maxTensorCount: 1_000_000,
  maxMetadataCount: 1_000_000,
};

export type ReadGgufHeaderResult = { ok: true; header: GgufHeader } | { ok: false; reason: string };

const ggufMagic = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
const defaultAlignment = 32;
const maximumDimensions = 4; // GGML_MAX_DIMS
const maximumTensorNameBytes = 63; // GGML_MAX_NAME is 64 including the terminating NUL
const readChunkBytes = 64 * 1024;
// The smallest possible metadata entry (empty key length, type, one uint8) and tensor info (name length,
// dimension count, type, offset), used to reject counts that could not possibly fit in the file.
const minimumMetadataEntryBytes = 8 + 4 + 1;
const minimumTensorInfoBytes = 8 + 4 + 4 + 8;

/** Reads and validates the header of a GGUF file. Never throws: I/O and format problems come back as reasons. */
export async function readGgufHeader(
  input: string | Uint8Array | GgufByteSource,
  limits: Partial<GgufReadLimits> = {},
): Promise<ReadGgufHeaderResult> {
  let opened: OpenedFileByteSource | undefined;
  try {
    let source: GgufByteSource;
    if (typeof input === "string") {
      try {
        opened = await openFileByteSource(input);
      } catch (error) {
        return { ok: false, reason: `cannot open ${input}: ${errorMessage(error)}` };
      }
      source = opened;
    } else if (input instanceof Uint8Array) {
      source = memoryByteSource(input);
    } else {
      source = input;
    }
    const header = await parseHeader(new HeaderCursor(source), { ...defaultGgufReadLimits, ...limits });
    return { ok: true, header };
  } catch (error) {
    if (error instanceof MalformedGguf) return { ok: false, reason: error.reason };
    return { ok: false, reason: `cannot read the GGUF header: ${errorMessage(error)}` };
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

/**
 * Raised only inside this module, so that the many nested reads can stop at the first problem; readGgufHeader
 * turns it into `{ ok: false, reason }`.
 */
class MalformedGguf {
  constructor(readonly reason: string) {}
}

function malformed(reason: string): never {
  throw new MalformedGguf(reason);
}

async function parseHeader(cursor: HeaderCursor, limits: GgufReadLimits): Promise<GgufHeader> {
  const fileSizeBytes = cursor.size;
  const magic = await cursor.bytes(4, "the magic number");
  if (!ggufMagic.every((byte, index) => magic[index] === byte)) {
    const shown = Array.from(magic, (byte) => byte.toString(16).padStart(2, "0")).join(" ");
    malformed(`not a GGUF file: the magic number at byte 0 is ${shown}, expected 47 47 55 46 ("GGUF")`);
  }

  const version = await cursor.uint32("the version");
  if (version !== 2 && version !== 3) {
    if (version !== 0 && (version & 0xffff) === 0) {
      malformed(`the version at byte 4 reads ${version}: a big-endian GGUF file, which is not supported`);
    }
    malformed(`unsupported GGUF version ${version} at byte 4: only versions 2 and 3 are supported`);
  }

  const tensorCount = await readCount(cursor, "tensor count", limits.maxTensorCount, minimumTensorInfoBytes);
  const metadataCount = await readCount(
    cursor,
    "metadata entry count",
    limits.maxMetadataCount,
    minimumMetadataEntryBytes,
  );

  const metadata = new Map<string, GgufMetadataValue>();
  for (let index = 0; index < metadataCount; index++) {
    const entryOffset = cursor.position;
    const key = await readString(cursor, `the key of metadata entry ${index}`, limits);
    if (key.length === 0) malformed(`metadata entry ${index} at byte ${entryOffset} has an empty key`);
    if (metadata.has(key)) malformed(`duplicate metadata key ${shown(key)} at byte ${entryOffset}`);
    metadata.set(key, await readMetadataValue(cursor, key, limits));
  }

  const alignment = readAlignment(metadata);

  const tensors: GgufTensorInfo[] = [];
  const tensorNames = new Set<string>();
  for (let index = 0; index < tensorCount; index++) {
    const tensor = await readTensorInfo(cursor, index, limits);
    if (tensorNames.has(tensor.name))
      malformed(`duplicate tensor name ${shown(tensor.name)} (tensor ${index})`);
    tensorNames.add(tensor.name);
    tensors.push(tensor);
  }

  // llama.cpp aligns the data section only when there are tensors; without any, it starts right here.
  const dataSectionOffset = tensorCount > 0 ? alignUp(cursor.position, alignment) : cursor.position;
  if (tensorCount > 0 && dataSectionOffset > fileSizeBytes) {
    malformed(
      `the data section would start at byte ${dataSectionOffset}, past the end of the file (${fileSizeBytes} bytes)`,
    );
  }
  placeTensorData(tensors, dataSectionOffset, alignment, fileSizeBytes);

  return { version, metadata, tensors, alignment, dataSectionOffset, fileSizeBytes };
}

async function readCount(
  cursor: HeaderCursor,
  what: string,
  limit: number,
  minimumBytesEach: number,
): Promise<number> {
  const offset = cursor.position;
  const count = await cursor.int64(`the ${what}`);
  if (count < 0n) malformed(`the ${what} at byte ${offset} is negative (${count})`);
  if (count > BigInt(limit))
    malformed(`the ${what} at byte ${offset} is ${count}, beyond the limit of ${limit}`);
  const needed = Number(count) * minimumBytesEach;
  if (needed > cursor.remaining) {
    malformed(
      `the ${what} at byte ${offset} is ${count}, which needs at least ${needed} bytes but only ${cursor.remaining} remain in the file`,
    );
  }
  return Number(count);
}

async function readString(cursor: HeaderCursor, what: string, limits: GgufReadLimits): Promise<string> {
  return utf8.decode(await readStringBytes(cursor, what, limits));
}

async function readStringBytes(
  cursor: HeaderCursor,
  what: string,
  limits: GgufReadLimits,
): Promise<Uint8Array> {
  const offset = cursor.position;
  const length = await cursor.uint64(`the length of ${what}`);
  if (length > BigInt(limits.maxStringBytes)) {
    malformed(
      `${what} at byte ${offset} claims ${length} bytes, beyond the limit of ${limits.maxStringBytes}`,
    );
  }
  if (length > BigInt(cursor.remaining)) {
    malformed(
      `${what} at byte ${offset} claims ${length} bytes but only ${cursor.remaining} remain in the file`,
    );
  }
  return cursor.bytes(Number(length), what);
}

async function readMetadataValue(
  cursor: HeaderCursor,
  key: string,
  limits: GgufReadLimits,
): Promise<GgufMetadataValue> {
  const typeOffset = cursor.position;
  const typeCode = await cursor.uint32(`the value type of ${shown(key)}`);
  const typeName = ggufValueTypeName(typeCode);
  if (typeName === undefined)
    malformed(`metadata ${shown(key)} has unknown value type ${typeCode} at byte ${typeOffset}`);
  if (typeName !== "array") return readScalar(cursor, typeName, key, limits);

  const elementTypeOffset = cursor.position;
  const elementCode = await cursor.uint32(`the element type of ${shown(key)}`);
  const elementType = ggufValueTypeName(elementCode);
  if (elementType === undefined) {
    malformed(
      `metadata array ${shown(key)} has unknown element type ${elementCode} at byte ${elementTypeOffset}`,
    );
  }
  if (elementType === "array") {
    // The GGUF spec allows nested arrays but llama.cpp rejects them, so no model file we can serve has one.
    malformed(
      `metadata array ${shown(key)} at byte ${elementTypeOffset} nests arrays, which llama.cpp does not accept`,
    );
  }
  const countOffset = cursor.position;
  const count = await cursor.uint64(`the length of array ${shown(key)}`);
  if (count > BigInt(limits.maxArrayElements)) {
    malformed(
      `array ${shown(key)} at byte ${countOffset} claims ${count} elements, beyond the limit of ${limits.maxArrayElements}`,
    );
  }
  const needed = Number(count) * ggufElementMinimumSize[elementType];
  if (needed > cursor.remaining) {
    malformed(
      `array ${shown(key)} at byte ${countOffset} claims ${count} ${elementType} elements (at least ${needed} bytes) but only ${cursor.remaining} bytes remain in the file`,
    );
  }
  return readArray(cursor, elementType, Number(count), key, limits);
}

async function readScalar(
  cursor: HeaderCursor,
  type: GgufElementTypeName,
  key: string,
  limits: GgufReadLimits,
): Promise<GgufMetadataValue> {
  const what = `the value of ${shown(key)}`;
  switch (type) {
    case "string":
      return { type, value: await readString(cursor, what, limits) };
    case "bool":
      return { type, value: await readBool(cursor, what) };
    case "uint64":
      return { type, value: await cursor.uint64(what) };
    case "int64":
      return { type, value: await cursor.int64(what) };
    default: {
      const size = ggufElementMinimumSize[type];
      await cursor.ensure(size, what);
      return { type, value: cursor.takeNumber(type) };
    }
  }
}

async function readBool(cursor: HeaderCursor, what: string): Promise<boolean> {
  const offset = cursor.position;
  const byte = await cursor.uint8(what);
  if (byte > 1) malformed(`${what} at byte ${offset} is a bool stored as ${byte}, not 0 or 1`);
  return byte === 1;
}

async function readArray(
  cursor: HeaderCursor,
  elementType: GgufElementTypeName,
  count: number,
  key: string,
  limits: GgufReadLimits,
): Promise<GgufMetadataValue> {
  const quotedKey = shown(key);
  const what = (index: number) => `element ${index} of array ${quotedKey}`;
  switch (elementType) {
    case "string": {
      const values: string[] = [];
      for (let index = 0; index < count; index++) values.push(await readString(cursor, what(index), limits));
      return { type: "array", elementType, values };
    }
    case "bool": {
      const values: boolean[] = [];
      for (let index = 0; index < count; index++) values.push(await readBool(cursor, what(index)));
      return { type: "array", elementType, values };
    }
    case "uint64":
    case "int64": {
      const values: bigint[] = [];
      await readFixedSizeBatches(cursor, 8, count, what, () => {
        values.push(elementType === "uint64" ? cursor.takeBigUint64() : cursor.takeBigInt64());
      });
      return { type: "array", elementType, values };
    }
    default: {
      const values: number[] = [];
      await readFixedSizeBatches(cursor, ggufElementMinimumSize[elementType], count, what, () => {
        values.push(cursor.takeNumber(elementType));
      });
      return { type: "array", elementType, values };
    }
  }
}

/** Reads fixed-size elements a chunk at a time rather than one awaited read each. */
async function readFixedSizeBatches(
  cursor: HeaderCursor,
  elementSize: number,
  count: number,
  what: (index: number) => string,
  takeOne: () => void,
): Promise<void> {
  const perBatch = Math.max(1, Math.floor(readChunkBytes / elementSize));
  for (let start = 0; start < count; start += perBatch) {
    const batch = Math.min(perBatch, count - start);
    await cursor.ensure(batch * elementSize, what(start));
    for (let index = 0; index < batch; index++) takeOne();
  }
}

function readAlignment(metadata: Map<string, GgufMetadataValue>): number {
  const value = metadata.get("general.alignment");
  if (value === undefined) return defaultAlignment;
  if (value.type !== "uint32") malformed(`general.alignment must be a uint32 but is a ${value.type}`);
  const alignment = value.value;
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    malformed(`general.alignment is ${alignment}, not a power of two`);
  }
  return alignment;
}

async function readTensorInfo(
  cursor: HeaderCursor,
  index: number,
  limits: GgufReadLimits,
): Promise<GgufTensorInfo> {
  const infoOffset = cursor.position;
  const nameBytes = await readStringBytes(cursor, `the name of tensor ${index}`, limits);
  if (nameBytes.byteLength === 0) malformed(`tensor ${index} at byte ${infoOffset} has an empty name`);
  if (nameBytes.byteLength > maximumTensorNameBytes) {
    malformed(
      `the name of tensor ${index} at byte ${infoOffset} is ${nameBytes.byteLength} bytes, longer than ggml's limit of ${maximumTensorNameBytes}`,
    );
  }
  const name = utf8.decode(nameBytes);
  const label = `tensor ${shown(name)} (info at byte ${infoOffset})`;

  const dimensionCountOffset = cursor.position;
  const dimensionCount = await cursor.uint32(`the dimension count of ${label}`);
  if (dimensionCount > maximumDimensions) {
    malformed(
      `${label} has ${dimensionCount} dimensions at byte ${dimensionCountOffset}; ggml allows at most 4`,
    );
  }
  const dimensions: number[] = [];
  let elementCount = 1n;
  for (let dimension = 0; dimension < dimensionCount; dimension++) {
    const offset = cursor.position;
    const extent = await cursor.int64(`dimension ${dimension} of ${label}`);
    if (extent < 0n)
      malformed(`dimension ${dimension} of ${label} at byte ${offset} is negative (${extent})`);
    elementCount *= extent;
    if (elementCount > BigInt(Number.MAX_SAFE_INTEGER)) {
      malformed(
        `the dimensions of ${label} overflow: the element count exceeds 2^53 - 1 at dimension ${dimension}`,
      );
    }
    dimensions.push(Number(extent));
  }

  const typeOffset = cursor.position;
  const typeId = await cursor.uint32(`the type of ${label}`);
  const type = ggmlTypeById(typeId);
  if (type === undefined) malformed(`${label} has unknown ggml type ${typeId} at byte ${typeOffset}`);
  const rowLength = dimensions[0] ?? 1;
  if (rowLength % type.blockSize !== 0) {
    malformed(
      `${label} of type ${type.name} has rows of ${rowLength} elements, not a multiple of its block size ${type.blockSize}`,
    );
  }
  const byteSize = (elementCount / BigInt(type.blockSize)) * BigInt(type.bytesPerBlock);
  if (byteSize > BigInt(cursor.size)) {
    malformed(`${label} needs ${byteSize} bytes of data, more than the whole file (${cursor.size} bytes)`);
  }

  const offsetPosition = cursor.position;
  const offset = await cursor.uint64(`the data offset of ${label}`);
  if (offset > BigInt(cursor.size)) {
    malformed(
      `${label} has data offset ${offset} at byte ${offsetPosition}, past the end of the file (${cursor.size} bytes)`,
    );
  }
  return {
    name,
    dimensions,
    typeId,
    typeName: type.name,
    offset: Number(offset),
    fileOffset: 0, // set by placeTensorData once the data section's start is known
    byteSize: Number(byteSize),
    elementCount: Number(elementCount),
  };
}

function placeTensorData(
  tensors: GgufTensorInfo[],
  dataSectionOffset: number,
  alignment: number,
  fileSize: number,
) {
  for (const tensor of tensors) {
    if (tensor.offset % alignment !== 0) {
      malformed(
        `tensor ${shown(tensor.name)} has data offset ${tensor.offset}, not a multiple of the alignment ${alignment}`,
      );
    }
    tensor.fileOffset = dataSectionOffset + tensor.offset;
    const end = tensor.fileOffset + tensor.byteSize;
    if (end > fileSize) {
      malformed(
        `the data of tensor ${shown(tensor.name)} spans bytes ${tensor.fileOffset}–${end}, past the end of the file (${fileSize} bytes)`,
      );
    }
  }
  const byOffset = [...tensors].sort((left, right) => left.offset - right.offset);
  for (let index = 1; index < byOffset.length; index++) {
    const previous = byOffset[index - 1];
    const current = byOffset[index];
    if (
      previous !== undefined &&
      current !== undefined &&
      current.offset < previous.offset + previous.byteSize
    ) {
      malformed(`the data of tensors ${shown(previous.name)} and ${shown(current.name)} overlap`);
    }
  }
}

/** A read position over a byte source with a buffered window, so that small reads do not each hit the disk. */
class HeaderCursor {
  position = 0;
  private window: Uint8Array = new Uint8Array(0);
  private windowView: DataView = new DataView(this.window.buffer);
  private windowStart = 0;

  constructor(private readonly source: GgufByteSource) {}

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return this.source.size - this.position;
  }

  /** Makes the next `length` bytes available, or fails naming what they were for. */
  async ensure(length: number, what: string): Promise<void> {
    if (this.position + length > this.source.size) {
      malformed(
        `truncated: ${what} at byte ${this.position} needs ${length} bytes but the file ends at byte ${this.source.size}`,
      );
    }
    const start = this.position - this.windowStart;
    if (start >= 0 && start + length <= this.window.byteLength) return;
    const bytes = await this.source.read(this.position, Math.max(length, readChunkBytes));
    if (bytes.byteLength < length) {
      malformed(
        `truncated: ${what} at byte ${this.position} needs ${length} bytes but only ${bytes.byteLength} could be read`,
      );
    }
    this.window = bytes;
    this.windowView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.windowStart = this.position;
  }

  async bytes(length: number, what: string): Promise<Uint8Array> {
    await this.ensure(length, what);
    const start = this.position - this.windowStart;
    this.position += length;
    return this.window.subarray(start, start + length);
  }

  async uint8(what: string): Promise<number> {
    await this.ensure(1, what);
    return this.takeNumber("uint8");
  }

  async uint32(what: string): Promise<number> {
    await this.ensure(4, what);
    return this.takeNumber("uint32");
  }

  async uint64(what: string): Promise<bigint> {
    await this.ensure(8, what);
    return this.takeBigUint64();
  }

  async int64(what: string): Promise<bigint> {
    await this.ensure(8, what);
    return this.takeBigInt64();
  }

  /** Takes a value already made available by ensure(). */
  takeNumber(type: Exclude<GgufElementTypeName, "string" | "bool" | "uint64" | "int64">): number {
    const at = this.position - this.windowStart;
    const view = this.windowView;
    this.position += ggufElementMinimumSize[type];
    switch (type) {
      case "uint8":
        return view.getUint8(at);
      case "int8":
        return view.getInt8(at);
      case "uint16":
        return view.getUint16(at, true);
      case "int16":
        return view.getInt16(at, true);
      case "uint32":
        return view.getUint32(at, true);
      case "int32":
        return view.getInt32(at, true);
      case "float32":
        return view.getFloat32(at, true);
      case "float64":
        return view.getFloat64(at, true);
    }
  }

  takeBigUint64(): bigint {
    const value = this.windowView.getBigUint64(this.position - this.windowStart, true);
    this.position += 8;
    return value;
  }

  takeBigInt64(): bigint {
    const value = this.windowView.getBigInt64(this.position - this.windowStart, true);
    this.position += 8;
    return value;
  }
}

const utf8 = new TextDecoder("utf-8");

/** Names from the file quoted and escaped, and clipped so that a hostile 60 MB key cannot flood a reason. */
function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
