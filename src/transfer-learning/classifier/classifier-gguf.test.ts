import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGgufHeader } from "../../model-files/gguf/read-gguf.js";
import { writeGguf } from "../../model-files/gguf/write-gguf.js";
import { type ClassificationHead, classifyEmbedding, headFormat, headModel } from "./classification-head.js";
import { classifierGgufContents, classifierKeys, writeClassifierGguf } from "./classifier-gguf.js";
import { parseClassifierGguf, readClassifierGguf } from "./read-classifier-gguf.js";
import { seededNormal } from "./seeded-random.js";

const directory = mkdtempSync(join(tmpdir(), "strata-classifier-gguf-"));
const dimensions = 7;
const labels = ["ham", "spam", "phishing"];
const hiddenUnits = 5;

/** A head with seeded float64 parameters of every magnitude, as training leaves them. */
function headOf(headType: ClassificationHead["headType"], seed: number): ClassificationHead {
  const normal = seededNormal(seed);
  const count =
    headType === "mlp"
      ? hiddenUnits * dimensions + hiddenUnits + labels.length * hiddenUnits + labels.length
      : labels.length * dimensions + labels.length;
  return {
    format: headFormat,
    version: 1,
    headType,
    labels,
    ...(headType === "mlp" ? { hiddenUnits } : {}),
    features: { baseModelId: "strata.tiny-base-v1", pooling: "mean", dimensions, maxInputTokens: 96 },
    standardization: {
      mean: Array.from({ length: dimensions }, () => normal() * 3),
      scale: Array.from({ length: dimensions }, () => 0.1 + Math.abs(normal())),
    },
    parameters: Array.from({ length: count }, () => normal() * 10 ** Math.round(normal())),
  };
}

/** The head as F32 tensors hold it: every number rounded once to the nearest float32. */
function roundedToFloat32(head: ClassificationHead): ClassificationHead {
  const round = (values: number[]) => values.map(Math.fround);
  return {
    ...head,
    standardization: { mean: round(head.standardization.mean), scale: round(head.standardization.scale) },
    parameters: round(head.parameters),
  };
}

const embeddings = (() => {
  const normal = seededNormal(99);
  return Array.from({ length: 12 }, () => Array.from({ length: dimensions }, () => normal() * 4));
})();

function probabilityBits(head: ClassificationHead): Uint8Array[] {
  const model = headModel(head);
  return embeddings.map((embedding) => {
    const { probabilities } = classifyEmbedding(head, model, embedding);
    return new Uint8Array(Float64Array.from(labels, (label) => probabilities[label] ?? Number.NaN).buffer);
  });
}

describe.each(["logistic-regression", "mlp"] as const)("a %s head as GGUF", (headType) => {
  const head = headOf(headType, headType === "mlp" ? 3 : 4);
  const path = join(directory, `${headType}.gguf`);
  const base = { fileName: "tiny-base.Q8_0.gguf", fileSha256: "ab".repeat(32) };

  it("reads back as the same head in float32, giving bit-identical probabilities", async () => {
    const written = await writeClassifierGguf(path, head, { name: "spam-head", base });
    expect(written.fileSizeBytes).toBe(readFileSync(path).byteLength);
    const parsed = await parseClassifierGguf(path, `${headType}.gguf`);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.classifier).toEqual({ head: roundedToFloat32(head), name: "spam-head", base });
    expect(probabilityBits(parsed.classifier.head)).toEqual(probabilityBits(roundedToFloat32(head)));
    // Against the float64 head it was exported from, only float32 rounding stands between them.
    const model = headModel(head);
    const exported = headModel(parsed.classifier.head);
    for (const embedding of embeddings) {
      const original = classifyEmbedding(head, model, embedding);
      const read = classifyEmbedding(parsed.classifier.head, exported, embedding);
      expect(read.label).toBe(original.label);
      for (const label of labels)
        expect(
          Math.abs((read.probabilities[label] ?? 0) - (original.probabilities[label] ?? 0)),
        ).toBeLessThan(1e-5);
    }
    // Exporting the head read back loses nothing more: the file comes out byte for byte the same.
    const again = join(directory, `${headType}-again.gguf`);
    await writeClassifierGguf(again, parsed.classifier.head, { name: "spam-head", base });
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
  });

  it("is a valid GGUF: magic, version 3, F32 tensors at aligned offsets inside the file", async () => {
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("GGUF");
    const read = await readGgufHeader(path);
    if (!read.ok) throw new Error(read.reason);
    const { header } = read;
    expect(header.version).toBe(3);
    expect(header.metadata.get("general.architecture")).toEqual({
      type: "string",
      value: "strata-classifier",
    });
    expect(header.metadata.get(classifierKeys.labels)).toEqual({
      type: "array",
      elementType: "string",
      values: labels,
    });
    expect(header.dataSectionOffset % header.alignment).toBe(0);
    for (const tensor of header.tensors) {
      expect(tensor.typeName).toBe("F32");
      expect(tensor.offset % header.alignment).toBe(0);
      expect(tensor.fileOffset + tensor.byteSize).toBeLessThanOrEqual(bytes.byteLength);
    }
    const parameterCount = header.tensors
      .filter((tensor) => !tensor.name.startsWith("standardization."))
      .reduce((sum, tensor) => sum + tensor.elementCount, 0);
    expect(parameterCount).toBe(head.parameters.length);
  });
});

describe("refusals", () => {
  it("names the file and the missing key of a GGUF that is not a classifier", async () => {
    const path = join(directory, "llama.gguf");
    await writeGguf(path, {
      metadata: [{ key: "general.architecture", value: { type: "string", value: "llama" } }],
      tensors: [{ name: "token_embd.weight", dimensions: [4, 2], type: "F32", values: new Float32Array(8) }],
    });
    expect(await parseClassifierGguf(path, "llama.gguf")).toEqual({
      ok: false,
      reason:
        'llama.gguf is not a classifier GGUF: it has no strata-classifier.head_type (general.architecture is "llama"; a classifier\'s is "strata-classifier")',
    });
    const refused = await readClassifierGguf(path).catch((error: Error) => error);
    expect(refused).toMatchObject({ name: "ValidationException" });
    expect((refused as Error).message).toMatch(new RegExp(`^${path}.*strata-classifier\\.head_type`));
  });

  it("names a key or tensor missing from a classifier, and numbers no head could hold", async () => {
    const contents = classifierGgufContents(headOf("mlp", 5));
    const variants = [
      {
        metadata: contents.metadata.filter((entry) => entry.key !== classifierKeys.labels),
        tensors: contents.tensors,
        reason: "the key strata-classifier.labels is missing",
      },
      {
        metadata: contents.metadata,
        tensors: contents.tensors.filter((tensor) => tensor.name !== "hidden.bias"),
        reason: "the tensor hidden.bias is missing",
      },
      {
        metadata: contents.metadata,
        tensors: contents.tensors.map((tensor) =>
          tensor.name === "output.bias"
            ? { ...tensor, values: new Float32Array([0, Number.NaN, 0]) }
            : tensor,
        ),
        reason: "parameters must be 58 finite numbers",
      },
    ];
    for (const [index, { reason, ...variant }] of variants.entries()) {
      const path = join(directory, `damaged-${index}.gguf`);
      await writeGguf(path, variant);
      expect(await parseClassifierGguf(path, "head.gguf")).toEqual({
        ok: false,
        reason: `head.gguf is not a valid classifier GGUF: ${reason}`,
      });
    }
    expect(
      await parseClassifierGguf(new TextEncoder().encode('{"format":"json"}'), "head.json"),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^head\.json is not a readable GGUF: not a GGUF file/),
    });
  });

  it("refuses a classifier meant for another base when told which base it runs on", async () => {
    const path = join(directory, "other-base.gguf");
    await writeClassifierGguf(path, headOf("logistic-regression", 6), {
      base: { fileSha256: "cd".repeat(32) },
    });
    await expect(readClassifierGguf(path, { baseModelId: "local.my-tiny" })).rejects.toThrow(
      /is a classifier over strata\.tiny-base-v1, not over local\.my-tiny/,
    );
    await expect(
      readClassifierGguf(path, { baseModelId: "strata.tiny-base-v1", fileSha256: "ef".repeat(32) }),
    ).rejects.toThrow(/trained on a base file with sha256 cdcd/);
    await expect(readClassifierGguf(path, { baseModelId: "strata.tiny-base-v1" })).resolves.toBeDefined();
  });
});
