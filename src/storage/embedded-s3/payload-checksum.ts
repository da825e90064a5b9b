// The integrity values an S3 client may send with a body (x-amz-checksum-* and Content-MD5), computed while
// the body streams by. CRC64NVME is not computed: such a value is accepted unchecked.
import { createHash, type Hash } from "node:crypto";
import zlib from "node:zlib";

export type ChecksumAlgorithm = "crc32" | "crc32c" | "sha1" | "sha256" | "md5";

export interface ChecksumCalculator {
  update(bytes: Uint8Array): void;
  /** Base64, as the headers carry it. */
  digest(): string;
}

export function checksumAlgorithmForHeader(lowerCaseHeaderName: string): ChecksumAlgorithm | undefined {
  switch (lowerCaseHeaderName) {
    case "x-amz-checksum-crc32":
      return "crc32";
    case "x-amz-checksum-crc32c":
      return "crc32c";
    case "x-amz-checksum-sha1":
      return "sha1";
    case "x-amz-checksum-sha256":
      return "sha256";
    case "content-md5":
      return "md5";
    default:
      return undefined;
  }
}

export function createChecksumCalculator(algorithm: ChecksumAlgorithm): ChecksumCalculator {
  switch (algorithm) {
    case "crc32":
      return crcCalculator(crc32Update);
    case "crc32c":
      return crcCalculator(crc32cUpdate);
    default:
      return hashCalculator(createHash(algorithm));
  }
}

function hashCalculator(hash: Hash): ChecksumCalculator {
  return {
    update: (bytes) => {
      hash.update(bytes);
    },
    digest: () => hash.digest("base64"),
  };
}

function crcCalculator(update: (crc: number, bytes: Uint8Array) => number): ChecksumCalculator {
  let crc = 0;
  return {
    update: (bytes) => {
      crc = update(crc, bytes);
    },
    digest: () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(crc >>> 0);
      return bytes.toString("base64");
    },
  };
}

const crc32Table = crcTable(0xedb88320);
const crc32cTable = crcTable(0x82f63b78);

// zlib.crc32 exists from Node 20.15; the table version keeps older Node 20 releases working.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
const crc32Update = nativeCrc32
  ? (crc: number, bytes: Uint8Array) => nativeCrc32(bytes, crc)
  : (crc: number, bytes: Uint8Array) => tableCrc(crc32Table, crc, bytes);
const crc32cUpdate = (crc: number, bytes: Uint8Array) => tableCrc(crc32cTable, crc, bytes);

function crcTable(reversedPolynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let value = index;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? (value >>> 1) ^ reversedPolynomial : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
}

function tableCrc(table: Uint32Array, crc: number, bytes: Uint8Array): number {
  let value = ~crc >>> 0;
  for (const byte of bytes) value = (table[(value ^ byte) & 0xff] ?? 0) ^ (value >>> 8);
  return ~value >>> 0;
}
