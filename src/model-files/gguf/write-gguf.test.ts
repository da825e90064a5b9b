import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGgufHeader } from "./read-gguf.js";
import { writeGguf } from "./write-gguf.js";

function freshDirectory(): string {
  return mkdtempSync(join(tmpdir(), "strata-gguf-write-"));
}

describe("writeGguf", () => {
  it("names every problem and creates no file when the contents are inconsistent", async () => {
    const directory = freshDirectory();
    const attempt = writeGguf(join(directory, "bad.gguf"), {
      metadata: [
        { key: "a", value: { type: "uint8", value: 256 } },
        { key: "a", value: { type: "string", value: "twice" } },
        { key: "general.alignment", value: { type: "uint32", value: 32 } },
        { key: "b", value: { type: "array", elementType: "int64", values: [2n ** 63n] } },
      ],
      tensors: [
        { name: "q", dimensions: [30, 2], type: "Q8_0", values: new Float32Array(60) },
        { name: "short", dimensions: [4], type: "F32", values: new Float32Array(3) },
        { name: "flat", dimensions: [], type: "F32", values: new Float32Array(1) },
      ],
    });
    await expect(attempt).rejects.toThrow(
      [
        "metadata a: 256 does not fit uint8",
        "metadata key a appears twice",
        "general.alignment is set through the alignment option",
        "metadata b: 9223372036854775808 does not fit int64",
        "tensor q: Q8_0 needs ne0 (30) to be a multiple of its block size 32",
        "tensor short: 3 values given for 4 elements",
        "tensor flat has 0 dimensions; ggml allows 1–4",
      ].join("\n- "),
    );
    expect(readdirSync(directory)).toEqual([]);
  });

  it("leaves neither a partial file nor the old one damaged when writing fails midway", async () => {
    const directory = freshDirectory();
    const path = join(directory, "model.gguf");
    writeFileSync(path, "previous model");
    const attempt = writeGguf(path, {
      metadata: [],
      tensors: [
        { name: "a", dimensions: [4], type: "F32", values: new Float32Array(4) },
        {
          name: "b",
          dimensions: [4],
          type: "F32",
          values: () => {
            throw new Error("weights unavailable");
          },
        },
      ],
    });
    await expect(attempt).rejects.toThrow("weights unavailable");
    expect(readdirSync(directory)).toEqual(["model.gguf"]);
    expect(readFileSync(path, "utf8")).toBe("previous model");
  });

  it("replaces an existing file and pads every tensor to the alignment", async () => {
    const directory = freshDirectory();
    const path = join(directory, "model.gguf");
    writeFileSync(path, "previous model");
    const written = await writeGguf(path, {
      metadata: [{ key: "general.architecture", value: { type: "string", value: "llama" } }],
      tensors: [{ name: "a", dimensions: [5], type: "F32", values: new Float32Array(5) }],
    });
    expect(readdirSync(directory)).toEqual(["model.gguf"]);
    const result = await readGgufHeader(path);
    if (!result.ok) throw new Error(result.reason);
    expect(written.fileSizeBytes).toBe(readFileSync(path).byteLength);
    expect(written.fileSizeBytes).toBe(result.header.dataSectionOffset + 32);
  });
});
