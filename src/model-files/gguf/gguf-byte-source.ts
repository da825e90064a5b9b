// Random access to the bytes of a GGUF file, so that the header of a multi-gigabyte model is read without
// loading the tensor data: a file read with positioned fs reads, or bytes already in memory.
import { open } from "node:fs/promises";

export interface GgufByteSource {
  readonly size: number;
  /** Up to `length` bytes starting at `offset`; fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function memoryByteSource(bytes: Uint8Array): GgufByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length)),
  };
}

export interface OpenedFileByteSource extends GgufByteSource {
  close(): Promise<void>;
}

export async function openFileByteSource(path: string): Promise<OpenedFileByteSource> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return {
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        let filled = 0;
        // A positioned read may return fewer bytes than asked for; keep reading until the range is complete.
        while (filled < buffer.byteLength) {
          const { bytesRead } = await handle.read(
            buffer,
            filled,
            buffer.byteLength - filled,
            offset + filled,
          );
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
