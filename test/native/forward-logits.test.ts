// The trainer's own forward graph (no KV cache) against llama.cpp's, as node-llama-cpp runs it, on the same
// GGUF and tokens, for each architecture the trainer builds. Measured on the tiny test model (18 tokens): llama
// F32 1.4e-4, F16 2.0e-4, Q8_0 3.3e-3 relative; qwen2 F32 QWEN_F32, Q8_0 QWEN_Q8.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../support/make-test-model.js";
import {
  buildTrainer,
  maxCenteredRelativeError,
  nodeLlamaLogProbabilities,
  runTrainerCli,
} from "./trainer-cli.js";

const text = "The Congress of the United States shall assemble";
let directory: string;
let llama: Llama;

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-trainer-logits-"));
  llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
});

afterAll(async () => {
  await llama?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function referenceLogProbabilities(
  modelPath: string,
): Promise<{ tokens: number[]; logProbabilities: Float64Array; vocabularySize: number }> {
  const model = await llama.loadModel({ modelPath });
  const tokens = [model.tokens.bos as number, ...(model.tokenize(text) as number[])];
  await model.dispose();
  return { tokens, ...(await nodeLlamaLogProbabilities(llama, modelPath, tokens)) };
}

describe("trainer forward logits vs node-llama-cpp", () => {
  for (const [architecture, tensorType, tolerance] of [
    ["llama", "F32", 1e-3],
    ["llama", "F16", 1e-3],
    ["llama", "Q8_0", 1e-2], // activations are quantized to Q8_0 for the dot products; llama.cpp also repacks Q8_0 and keeps K/V in F16
    // qwen2: q/k/v biases (drawn at 0.1, five times the weights' spread) and NEOX-style RoPE.
    ["qwen2", "F32", 1e-3],
    ["qwen2", "Q8_0", 1e-2],
  ] as const) {
    it(`matches on a ${architecture} ${tensorType} model`, async () => {
      const modelPath = join(directory, `tiny-${architecture}-${tensorType}.gguf`);
      await makeTestModel(modelPath, { tensorType, architecture });
      const reference = await referenceLogProbabilities(modelPath);
      const logitsPath = join(directory, `logits-${architecture}-${tensorType}.f32`);
      const result = await runTrainerCli(["logits", modelPath, logitsPath, ...reference.tokens.map(String)]);
      expect(result.stderr).not.toContain("strata-trainer:");
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        n_tokens: reference.tokens.length,
        n_vocab: reference.vocabularySize,
      });
      const bytes = readFileSync(logitsPath);
      const mine = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const error = maxCenteredRelativeError(mine, reference.logProbabilities, reference.vocabularySize);
      console.log(
        `${architecture} ${tensorType}: max relative logit error ${error.toExponential(2)} over ${reference.tokens.length} tokens`,
      );
      expect(error).toBeLessThan(tolerance);
    });
  }

  it("refuses full fine-tuning of a quantized base before training, naming the tensor", async () => {
    const modelPath = join(directory, "tiny-llama-Q8_0.gguf");
    const result = await runTrainerCli(["train", modelPath, "--mode", "full", "--tokens", "1,2,3"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/full fine-tuning needs an F32 model, but tensor '.*' is q8_0/);
  });
});
