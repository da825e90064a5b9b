import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dequantizeGgufToF32, nonF32TensorTypes } from "./dequantize-gguf.js";
import { float16BitsToFloat32, float32ToFloat16Bits } from "./float16.js";
import { dequantizeQ8_0, quantizeQ8_0 } from "./quantize-q8-0.js";
import { readGgufHeader } from "./read-gguf.js";
import { writeGguf } from "./write-gguf.js";

const directory = mkdtempSync(join(tmpdir(), "strata-dequantize-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const values = (count: number, scale: number) =>
  Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37) * scale);

describe("dequantizeGgufToF32", () => {
  it("writes every tensor as F32 with the values the source encodes, and the metadata with file_type ALL_F32", async () => {
    const source = join(directory, "source.gguf");
    const q8 = values(64 * 3, 0.5);
    const f16 = values(40, 2);
    const f32 = values(8, 1);
    await writeGguf(source, {
      metadata: [
        { key: "general.architecture", value: { type: "string", value: "llama" } },
        { key: "general.file_type", value: { type: "uint32", value: 7 } },
        { key: "tokenizer.chat_template", value: { type: "string", value: "{{ messages }}" } },
      ],
      tensors: [
        { name: "q8", dimensions: [64, 3], type: "Q8_0", values: q8 },
        { name: "f16", dimensions: [40], type: "F16", values: f16 },
        { name: "f32", dimensions: [8], type: "F32", values: f32 },
      ],
    });
    expect(await nonF32TensorTypes(source)).toEqual(["Q8_0", "F16"]);

    const destination = join(directory, "f32.gguf");
    await dequantizeGgufToF32(source, destination);
    expect(await nonF32TensorTypes(destination)).toEqual([]);
    const read = await readGgufHeader(destination);
    if (!read.ok) throw new Error(read.reason);
    expect(read.header.metadata.get("general.file_type")).toEqual({ type: "uint32", value: 0 });
    expect(read.header.metadata.get("tokenizer.chat_template")).toEqual({
      type: "string",
      value: "{{ messages }}",
    });
    const bytes = readFileSync(destination);
    const tensor = (name: string) => {
      const info = read.header.tensors.find((entry) => entry.name === name);
      if (!info) throw new Error(name);
      expect(info.dimensions).toEqual(name === "q8" ? [64, 3] : [name === "f16" ? 40 : 8]);
      return new Float32Array(
        bytes.buffer.slice(
          bytes.byteOffset + info.fileOffset,
          bytes.byteOffset + info.fileOffset + info.byteSize,
        ),
      );
    };
    expect([...tensor("q8")]).toEqual([...dequantizeQ8_0(quantizeQ8_0(q8))]);
    expect([...tensor("f16")]).toEqual(
      [...f16].map((value) => float16BitsToFloat32(float32ToFloat16Bits(value))),
    );
    expect([...tensor("f32")]).toEqual([...f32]);
  });
});
