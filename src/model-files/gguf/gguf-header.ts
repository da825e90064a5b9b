// What readGgufHeader learns about a GGUF file without reading its tensor data.
import type { GgufMetadataValue } from "./gguf-metadata-value.js";

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dimensions[0] (ne0) is the innermost, contiguous one. */
  dimensions: number[];
  typeId: number;
  /** ggml's type name as gguf-py spells it, e.g. "F16", "Q8_0". */
  typeName: string;
  /** Offset of the data from the start of the data section (what the file stores). */
  offset: number;
  /** Offset of the data from the start of the file. */
  fileOffset: number;
  byteSize: number;
  elementCount: number;
}

export interface GgufHeader {
  version: 2 | 3;
  /** Insertion-ordered as in the file; a Map so that keys such as "__proto__" are plain keys. */
  metadata: Map<string, GgufMetadataValue>;
  tensors: GgufTensorInfo[];
  /** general.alignment, or GGUF's default of 32. */
  alignment: number;
  /** Byte offset of the data section: the end of the tensor infos rounded up to the alignment. */
  dataSectionOffset: number;
  fileSizeBytes: number;
}
