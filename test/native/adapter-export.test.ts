// What the trainer writes after training, checked in node-llama-cpp: the LoRA adapter (llama.cpp's adapter
// GGUF), the merged model (base with (alpha/r)·B·A folded in) and llama.cpp's quantizer run on it.
// 60 LoRA steps (r8, α16) on the tiny F32 test model make the adapter matter: it moves the logits by ~1.3
// (relative) and greedy decoding then continues the training text. Measured: adapter at scale 1 vs the
// trainer 4.8e-4, scale 0 vs base 1.4e-4, merged F32 4.8e-4, merged F16 9.6e-4, q8_0 of the merge 2.3e-2.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataNumber, metadataString } from "../../src/model-files/gguf/gguf-metadata-value.js";
import { type GgufHeader, readGgufHeader } from "../../src/model-files/gguf/read-gguf.js";
import { makeTestModel } from "../support/make-test-model.js";
import {
  buildTrainer,
  maxCenteredRelativeError,
  nodeLlamaGreedyTokens,
  nodeLlamaLogProbabilities,
  readFloat32File,
  runTrainerCli,
} from "./trainer-cli.js";

const text =
  "The Congress of the United States shall assemble at least once in every year, and such meeting shall be on the first Monday in December";
const comparedTokens = 20;
const greedyCount = 16;
const rank = 8;
const alpha = 16;
const steps = 60;

let directory: string;
let llama: Llama;
let baseModel: string;
let adapter: string;
let mergedF32: string;
let mergedF16: string;
let tokens: number[];
let vocabularySize: number;
let trainedLogits: Float32Array;
let baseLogits: Float32Array;

async function header(path: string): Promise<GgufHeader> {
  const result = await readGgufHeader(path);
  if (!result.ok) throw new Error(result.reason);
  return result.header;
}

function asLogProbabilities(logits: Float32Array): Float64Array {
  return Float64Array.from(logits);
}

async function cli(args: string[]): Promise<string> {
  const result = await runTrainerCli(args);
  expect(result.stderr).not.toContain("strata-trainer:");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-trainer-export-"));
  llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  baseModel = join(directory, "tiny-F32.gguf");
  await makeTestModel(baseModel, { tensorType: "F32" });
  const model = await llama.loadModel({ modelPath: baseModel });
  tokens = [model.tokens.bos as number, ...(model.tokenize(text) as number[])];
  await model.dispose();
  expect(tokens.length).toBeGreaterThan(comparedTokens + 1);

  adapter = join(directory, "adapter.gguf");
  mergedF32 = join(directory, "merged-f32.gguf");
  mergedF16 = join(directory, "merged-f16.gguf");
  const trainedLogitsPath = join(directory, "trained.f32");
  const compared = tokens.slice(0, comparedTokens).join(",");
  const common = [
    "--mode",
    "lora",
    "--rank",
    String(rank),
    "--alpha",
    String(alpha),
    "--tokens",
    tokens.join(","),
  ];
  const stdout = await cli([
    "train",
    baseModel,
    ...common,
    "--steps",
    String(steps),
    "--lr",
    "1e-2",
    "--save-adapter",
    adapter,
    "--save-merged",
    mergedF32,
    "--logits-out",
    trainedLogitsPath,
    "--logits-tokens",
    compared,
  ]);
  const losses = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { loss: number });
  console.log(
    `LoRA r${rank} α${alpha}, ${steps} steps: loss ${losses[0]?.loss.toFixed(3)} → ${losses.at(-1)?.loss.toFixed(3)}`,
  );
  trainedLogits = readFloat32File(trainedLogitsPath);
  // Same seed and data: the same adapter again, written as an F16 merged model.
  await cli([
    "train",
    baseModel,
    ...common,
    "--steps",
    String(steps),
    "--lr",
    "1e-2",
    "--save-merged",
    mergedF16,
    "--merged-type",
    "f16",
  ]);
  const baseLogitsPath = join(directory, "base.f32");
  const info = JSON.parse(
    await cli(["logits", baseModel, baseLogitsPath, ...tokens.slice(0, comparedTokens).map(String)]),
  );
  vocabularySize = info.n_vocab;
  baseLogits = readFloat32File(baseLogitsPath);
});

afterAll(async () => {
  await llama?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("LoRA adapter export", () => {
  it("writes llama.cpp's adapter GGUF: keys, one A/B pair per target weight, llama.cpp's shapes", async () => {
    const file = await header(adapter);
    expect(metadataString(file.metadata.get("general.type"))).toBe("adapter");
    expect(metadataString(file.metadata.get("adapter.type"))).toBe("lora");
    expect(metadataString(file.metadata.get("general.architecture"))).toBe("llama");
    expect(metadataNumber(file.metadata.get("adapter.lora.alpha"))).toBe(alpha);
    // 7 targets × 2 blocks × (A, B)
    expect(file.tensors).toHaveLength(28);
    const q = file.tensors.find((tensor) => tensor.name === "blk.0.attn_q.weight.lora_a");
    const down = file.tensors.find((tensor) => tensor.name === "blk.1.ffn_down.weight.lora_b");
    expect(q?.dimensions).toEqual([64, rank]); // [n_in, r]
    expect(down?.dimensions).toEqual([rank, 64]); // [r, n_out]
    expect(q?.typeName).toBe("F32");
  });

  it("at scale 1 in node-llama-cpp, reproduces the trainer's logits with the adapter applied", async () => {
    const reference = await nodeLlamaLogProbabilities(llama, baseModel, tokens.slice(0, comparedTokens), {
      filePath: adapter,
      scale: 1,
    });
    expect(reference.vocabularySize).toBe(vocabularySize);
    const error = maxCenteredRelativeError(trainedLogits, reference.logProbabilities, vocabularySize);
    const adapterEffect = maxCenteredRelativeError(
      trainedLogits,
      asLogProbabilities(baseLogits),
      vocabularySize,
    );
    console.log(
      `adapter at scale 1: max relative logit error ${error.toExponential(2)} over ${comparedTokens} tokens (the adapter itself moves the logits by ${adapterEffect.toExponential(2)})`,
    );
    expect(adapterEffect).toBeGreaterThan(5e-2);
    expect(error).toBeLessThan(1e-3);
  });

  it("at scale 0 in node-llama-cpp, gives the base model's logits", async () => {
    const reference = await nodeLlamaLogProbabilities(llama, baseModel, tokens.slice(0, comparedTokens), {
      filePath: adapter,
      scale: 0,
    });
    const error = maxCenteredRelativeError(baseLogits, reference.logProbabilities, vocabularySize);
    console.log(
      `adapter at scale 0: max relative logit error vs the trainer's base logits ${error.toExponential(2)}`,
    );
    expect(error).toBeLessThan(1e-3);
  });
});

describe("merged model", () => {
  it("keeps every key of the base (tokenizer included) and every tensor, F32 or F16", async () => {
    const base = await header(baseModel);
    for (const [path, matrixType, fileType] of [
      [mergedF32, "F32", 0],
      [mergedF16, "F16", 1],
    ] as const) {
      const merged = await header(path);
      for (const [key, value] of base.metadata)
        if (key !== "general.file_type") expect(merged.metadata.get(key), key).toEqual(value);
      expect(metadataNumber(merged.metadata.get("general.file_type"))).toBe(fileType);
      expect(merged.tensors.map((tensor) => [tensor.name, tensor.dimensions])).toEqual(
        base.tensors.map((tensor) => [tensor.name, tensor.dimensions]),
      );
      for (const tensor of merged.tensors)
        expect(tensor.typeName, tensor.name).toBe(tensor.dimensions.length > 1 ? matrixType : "F32");
    }
  });

  it("gives the same 16 greedy tokens as base + adapter in node-llama-cpp", async () => {
    const prompt = tokens.slice(0, 4);
    const withAdapter = await nodeLlamaGreedyTokens(llama, baseModel, prompt, greedyCount, {
      filePath: adapter,
      scale: 1,
    });
    const merged = await nodeLlamaGreedyTokens(llama, mergedF32, prompt, greedyCount);
    const mergedHalf = await nodeLlamaGreedyTokens(llama, mergedF16, prompt, greedyCount);
    const base = await nodeLlamaGreedyTokens(llama, baseModel, prompt, greedyCount);
    console.log(
      `greedy: base + adapter ${withAdapter.join(",")}; merged ${merged.join(",")}; base ${base.join(",")}`,
    );
    expect(withAdapter).toHaveLength(greedyCount);
    expect(merged).toEqual(withAdapter);
    expect(mergedHalf).toEqual(withAdapter);
    expect(base).not.toEqual(withAdapter);
  });

  it("reproduces the trainer's adapted logits (F32 merge exactly up to rounding, F16 within its precision)", async () => {
    for (const [path, tolerance] of [
      [mergedF32, 1e-3],
      [mergedF16, 1e-2],
    ] as const) {
      const reference = await nodeLlamaLogProbabilities(llama, path, tokens.slice(0, comparedTokens));
      const error = maxCenteredRelativeError(trainedLogits, reference.logProbabilities, vocabularySize);
      console.log(
        `${path.endsWith("f16.gguf") ? "F16" : "F32"} merged: max relative logit error ${error.toExponential(2)}`,
      );
      expect(error).toBeLessThan(tolerance);
    }
  });
});

describe("quantize (llama.cpp's llama_model_quantize from the prebuilt libllama)", () => {
  it("q8_0 of the merged F32 model is smaller, loads in node-llama-cpp and keeps its logits", async () => {
    const quantized = join(directory, "merged-q8_0.gguf");
    const sizes = JSON.parse(await cli(["quantize", mergedF32, quantized, "q8_0", "--threads", "1"]));
    expect(sizes.bytes_in).toBe(statSync(mergedF32).size);
    expect(sizes.bytes_out).toBe(statSync(quantized).size);
    console.log(`q8_0: ${sizes.bytes_in} → ${sizes.bytes_out} bytes`);
    expect(sizes.bytes_out).toBeLessThan(sizes.bytes_in / 2);
    const file = await header(quantized);
    expect(file.tensors.find((tensor) => tensor.name === "blk.0.attn_q.weight")?.typeName).toBe("Q8_0");
    const reference = await nodeLlamaLogProbabilities(llama, quantized, tokens.slice(0, comparedTokens));
    const error = maxCenteredRelativeError(trainedLogits, reference.logProbabilities, vocabularySize);
    console.log(
      `q8_0 merged: max relative logit error vs the trainer's adapted logits ${error.toExponential(2)}`,
    );
    expect(error).toBeLessThan(5e-2);
  });

  it("q4_k_m runs (tensors narrower than 256 fall back to llama.cpp's substitutes) and loads", async () => {
    const quantized = join(directory, "merged-q4_k_m.gguf");
    const sizes = JSON.parse(await cli(["quantize", mergedF32, quantized, "Q4_K_M", "--threads", "1"]));
    expect(sizes.bytes_out).toBeLessThan(sizes.bytes_in / 2);
    const generated = await nodeLlamaGreedyTokens(llama, quantized, tokens.slice(0, 4), 4);
    expect(generated).toHaveLength(4);
  });

  it("refuses an unknown type, naming the known ones, and leaves no file", async () => {
    const output = join(directory, "never.gguf");
    const result = await runTrainerCli(["quantize", mergedF32, output, "q9_9"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("unknown quantization type 'q9_9'");
    expect(result.stderr).toContain("q4_k_m");
    expect(() => statSync(output)).toThrow();
  });

  it("reports llama.cpp's reason when the input is not a model", async () => {
    const result = await runTrainerCli(["quantize", adapter, join(directory, "never.gguf"), "q8_0"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/strata-trainer: llama_model_quantize failed on .*adapter\.gguf: .+/);
  });
});

describe("export errors", () => {
  it("has no adapter to save in full mode", async () => {
    const result = await runTrainerCli([
      "train",
      baseModel,
      "--mode",
      "full",
      "--tokens",
      "1,2,3",
      "--save-adapter",
      join(directory, "never.gguf"),
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("full mode");
  });
});
