// The inference engine serves a LoRA adapter with a scale on top of its base (what custom models will use):
// an adapter trained by Strata's trainer to continue one sentence makes the engine continue it; the same
// base without the adapter does not.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectGeneration, type EngineModel } from "../../src/inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../../src/inference/engine/llama-cpp-engine.js";
import { makeTestModel } from "../support/make-test-model.js";
import { buildTrainer, runTrainerCli } from "./trainer-cli.js";

const sentence =
  "The Congress of the United States shall assemble at least once in every year, and such meeting shall be on the first Monday in December";
const promptText = "The Congress of the United States shall";

let engine: LlamaCppEngine;
let base: EngineModel;
let adapted: EngineModel;

beforeAll(async () => {
  buildTrainer();
  const directory = mkdtempSync(join(tmpdir(), "strata-engine-adapter-"));
  const basePath = join(directory, "base.gguf");
  await makeTestModel(basePath, { tensorType: "F32" });
  engine = new LlamaCppEngine({ threads: 1, sequencesPerModel: 1 });
  base = { modelId: "local.base", filePath: basePath };
  // The trainer takes token ids: the engine's own tokenizer gives them (with BOS, as generation sees them).
  const tokens = await tokensOf(basePath);
  const adapterPath = join(directory, "adapter.gguf");
  const trained = await runTrainerCli([
    "train",
    basePath,
    "--mode",
    "lora",
    "--rank",
    "8",
    "--alpha",
    "16",
    "--tokens",
    tokens.join(","),
    "--steps",
    "60",
    "--lr",
    "1e-2",
    "--save-adapter",
    adapterPath,
  ]);
  expect(trained.exitCode).toBe(0);
  adapted = { modelId: "local.adapted", filePath: basePath, adapter: { filePath: adapterPath, scale: 1 } };
});

afterAll(async () => {
  await engine?.dispose();
});

async function tokensOf(path: string): Promise<number[]> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  const tokens = [model.tokens.bos as number, ...(model.tokenize(sentence) as number[])];
  await model.dispose();
  return tokens;
}

async function continuation(model: EngineModel): Promise<string> {
  const result = await collectGeneration(
    engine.generate({
      model,
      prompt: { kind: "text", text: promptText },
      sampling: { maxTokens: 8, temperature: 0 },
      signal: new AbortController().signal,
    }),
  );
  return result.text;
}

it("continues the trained sentence with the adapter, and not without it", async () => {
  const withAdapter = await continuation(adapted);
  const withoutAdapter = await continuation(base);
  expect(withAdapter.length).toBeGreaterThan(5);
  expect(sentence.slice(promptText.length).startsWith(withAdapter.slice(0, 12))).toBe(true);
  expect(withoutAdapter).not.toBe(withAdapter);
});
