// A GGUF model with every tensor in F32: what full fine-tuning needs (the trainer updates F32 weights in place)
// when the base is stored as F16 or Q8_0, as the built-in models are. Metadata (tokenizer, chat template,
// dimensions) is copied as is, with general.file_type set to ALL_F32; one tensor is held at a time.
import { closeSync, openSync, readSync } from "node:fs";
import { float16BitsToFloat32 } from "./float16.js";
import type { GgufMetadataEntry } from "./gguf-metadata-value.js";
import { llamaFileTypeForTensorType } from "./llama-file-type.js";
import { dequantizeQ8_0 } from "./quantize-q8-0.js";
import { readGgufHeader } from "./read-gguf.js";
import { writeGguf } from "./write-gguf.js";

export const dequantizableTensorTypes = ["F32", "F16", "Q8_0"] as const;

/** Tensor types of the file other than F32; empty when it is F32 already. Throws when it cannot be read. */
export async function nonF32TensorTypes(path: string): Promise<string[]> {
  const read = await readGgufHeader(path);
  if (!read.ok) throw new Error(read.reason);
  return [...new Set(read.header.tensors.map((tensor) => tensor.typeName))].filter((type) => type !== "F32");
}

/** Writes `source` as an all-F32 GGUF at `destination` (atomically). Throws on a tensor type it cannot decode. */
export async function dequantizeGgufToF32(source: string, destination: string): Promise<void> {
  const read = await readGgufHeader(source);
  if (!read.ok) throw new Error(`cannot read ${source}: ${read.reason}`);
  const { header } = read;
  const unsupported = header.tensors.filter(
    (tensor) => !(dequantizableTensorTypes as readonly string[]).includes(tensor.typeName),
  );
  if (unsupported.length > 0)
    throw new Error(
      `cannot convert ${source} to F32: tensor ${unsupported[0]?.name} is ${unsupported[0]?.typeName} (only ${dequantizableTensorTypes.join(", ")} are decoded)`,
    );
  const metadata: GgufMetadataEntry[] = [];
  for (const [key, value] of header.metadata) {
    if (key === "general.alignment") continue; // writeGguf writes it from `alignment`
    metadata.push(
      key === "general.file_type"
        ? { key, value: { type: "uint32", value: llamaFileTypeForTensorType.F32 } }
        : { key, value },
    );
  }
  // writeGguf asks for each tensor's values when it writes it: read and decode them then, synchronously.
  const descriptor = openSync(source, "r");
  try {
    const tensors = header.tensors.map((tensor) => ({
      name: tensor.name,
      dimensions: tensor.dimensions,
      type: "F32" as const,
      values: () => {
        const bytes = new Uint8Array(tensor.byteSize);
        if (readSync(descriptor, bytes, 0, tensor.byteSize, tensor.fileOffset) !== tensor.byteSize)
          throw new Error(`${source} ends inside tensor ${tensor.name}`);
        return decode(tensor.typeName, bytes, tensor.elementCount);
      },
    }));
    await writeGguf(destination, { metadata, tensors, alignment: header.alignment });
  } finally {
    closeSync(descriptor);
  }
}

function decode(typeName: string, bytes: Uint8Array, elementCount: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (typeName) {
    case "F32":
      return Float32Array.from({ length: elementCount }, (_, index) => view.getFloat32(index * 4, true));
    case "F16":
      return Float32Array.from({ length: elementCount }, (_, index) =>
        float16BitsToFloat32(view.getUint16(index * 2, true)),
      );
    default:
      return dequantizeQ8_0(bytes).subarray(0, elementCount);
  }
}
