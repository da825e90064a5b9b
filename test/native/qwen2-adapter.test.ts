// A qwen2 base (the architecture of Qwen2 / Qwen2.5: llama plus q/k/v biases and NEOX-style RoPE) trained with
// LoRA, and what the trainer writes served by node-llama-cpp: the adapter (general.architecture "qwen2") at
// scale 1 reproduces the trainer's adapted logits, and the merged model decodes the same greedy tokens as
// base + adapter. The logits, gradients and AdamW steps on qwen2 are checked in forward-logits,
// trainer-training and pytorch-reference.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataString } from "../../src/model-files/gguf/gguf-metadata-value.js";
import { readGgufHeader } from "../../src/model-files/gguf/read-gguf.js";
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

let directory: string;
let llama: Llama;
let baseModel: string;
let adapter: string;
let merged: string;
let tokens: number[];
let trainedLogits: Float32Array;
let baseLogits: Float32Array;
let vocabularySize: number;

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-qwen2-adapter-"));
  llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  baseModel = join(directory, "tiny-qwen2-F32.gguf");
  await makeTestModel(baseModel, { tensorType: "F32", architecture: "qwen2" });
  const model = await llama.loadModel({ modelPath: baseModel });
  tokens = [model.tokens.bos as number, ...(model.tokenize(text) as number[])];
  await model.dispose();

  adapter = join(directory, "adapter.gguf");
  merged = join(directory, "merged.gguf");
  const trainedLogitsPath = join(directory, "trained.f32");
  const compared = tokens.slice(0, comparedTokens).join(",");
  const trained = await runTrainerCli([
    "train",
    baseModel,
    "--mode",
    "lora",
    "--tokens",
    tokens.join(","),
    "--steps",
    "20",
    "--lr",
    "1e-2",
    "--threads",
    "2",
    "--save-adapter",
    adapter,
    "--save-merged",
    merged,
    "--logits-out",
    trainedLogitsPath,
    "--logits-tokens",
    compared,
  ]);
  expect(trained.exitCode, trained.stderr).toBe(0);
  trainedLogits = readFloat32File(trainedLogitsPath);
  const baseLogitsPath = join(directory, "base.f32");
  const base = await runTrainerCli(["logits", baseModel, baseLogitsPath, ...compared.split(",")]);
  expect(base.exitCode, base.stderr).toBe(0);
  vocabularySize = (JSON.parse(base.stdout) as { n_vocab: number }).n_vocab;
  baseLogits = readFloat32File(baseLogitsPath);
});

afterAll(async () => {
  await llama?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("LoRA on a qwen2 base, served by node-llama-cpp", () => {
  it("writes a qwen2 adapter that reproduces the trainer's adapted logits at scale 1", async () => {
    const header = await readGgufHeader(adapter);
    if (!header.ok) throw new Error(header.reason);
    expect(metadataString(header.header.metadata.get("general.architecture"))).toBe("qwen2");
    expect(header.header.tensors.some((tensor) => tensor.name.includes(".bias"))).toBe(false);

    const reference = await nodeLlamaLogProbabilities(llama, baseModel, tokens.slice(0, comparedTokens), {
      filePath: adapter,
      scale: 1,
    });
    expect(reference.vocabularySize).toBe(vocabularySize);
    const error = maxCenteredRelativeError(trainedLogits, reference.logProbabilities, vocabularySize);
    const effect = maxCenteredRelativeError(trainedLogits, Float64Array.from(baseLogits), vocabularySize);
    console.log(
      `qwen2 adapter at scale 1: max relative logit error ${error.toExponential(2)} (the adapter moves the logits by ${effect.toExponential(2)})`,
    );
    expect(effect).toBeGreaterThan(5e-2);
    expect(error).toBeLessThan(1e-3);
  });

  it("merges into a qwen2 model (biases kept) that decodes as base + adapter", async () => {
    const header = await readGgufHeader(merged);
    if (!header.ok) throw new Error(header.reason);
    expect(metadataString(header.header.metadata.get("general.architecture"))).toBe("qwen2");
    expect(header.header.tensors.filter((tensor) => tensor.name.endsWith(".bias"))).toHaveLength(6);
    const prompt = tokens.slice(0, 4);
    const withAdapter = await nodeLlamaGreedyTokens(llama, baseModel, prompt, 16, {
      filePath: adapter,
      scale: 1,
    });
    const fromMerged = await nodeLlamaGreedyTokens(llama, merged, prompt, 16);
    const base = await nodeLlamaGreedyTokens(llama, baseModel, prompt, 16);
    console.log(`qwen2 greedy: base + adapter ${withAdapter.join(",")}; merged ${fromMerged.join(",")}`);
    expect(fromMerged).toEqual(withAdapter);
    expect(base).not.toEqual(withAdapter);
  });
});
