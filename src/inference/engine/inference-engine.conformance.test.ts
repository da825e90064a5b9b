// The contract every InferenceEngine implementation keeps, run against each one: llama.cpp in this process, and
// llama.cpp in an inference process of its own over IPC (what a reservation runs on).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../../../test/support/make-test-model.js";
import { EngineProcess } from "./engine-process/engine-process.js";
import {
  collectGeneration,
  type EngineModel,
  type InferenceEngine,
  type Prompt,
} from "./inference-engine.js";
import { LlamaCppEngine } from "./llama-cpp-engine.js";

const implementations: [string, () => InferenceEngine][] = [
  ["LlamaCppEngine", () => new LlamaCppEngine({ sequencesPerModel: 2 })],
  ["EngineProcess", () => new EngineProcess({ label: "conformance", engine: { sequencesPerModel: 2 } })],
];

describe.each(implementations)("%s", (_name, create) => {
  let engine: InferenceEngine;
  let model: EngineModel;
  const chat: Prompt = {
    kind: "chat",
    system: "Be brief.",
    messages: [{ role: "user", text: "Hello there" }],
  };

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), "strata-engine-")), "tiny.gguf");
    await makeTestModel(path, { contextLength: 1024 });
    engine = create();
    model = { modelId: "local.conformance", filePath: path };
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  it("ends every generation with one end event whose usage matches what was generated", async () => {
    const result = await collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 10, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    expect(result.end.usage.outputTokens).toBeGreaterThan(0);
    expect(result.end.usage.outputTokens).toBeLessThanOrEqual(10);
    expect(result.end.usage.inputTokens).toBe(await engine.countTokens(model, chat));
    expect(result.end.timeToFirstTokenMs).toBeLessThanOrEqual(result.end.totalTimeMs);
  });

  it("reports max_tokens when the limit ends generation", async () => {
    const result = await collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 5, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    // Greedy decoding of a random model repeats one token rather than ending its turn.
    expect(result.end).toMatchObject({ stopReason: "max_tokens", usage: { outputTokens: 5 } });
  });

  it("stops before a stop sequence and says which", async () => {
    const free = await collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 12, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    const stop = free.text.slice(2, 5);
    const stopped = await collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 12, temperature: 0, stopSequences: [stop] },
        signal: new AbortController().signal,
      }),
    );
    expect(stopped.end).toMatchObject({ stopReason: "stop_sequence", stopSequence: stop });
    expect(stopped.text.includes(stop)).toBe(false);
    expect(free.text.startsWith(stopped.text)).toBe(true);
  });

  it("completes raw text prompts", async () => {
    const prompt: Prompt = { kind: "text", text: "The Congress of the United States" };
    const result = await collectGeneration(
      engine.generate({
        model,
        prompt,
        sampling: { maxTokens: 6, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    expect(result.end.usage.inputTokens).toBe(await engine.countTokens(model, prompt));
  });

  it("stops promptly when aborted, and frees the sequence", async () => {
    const abort = new AbortController();
    const started = performance.now();
    const run = collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 900, temperature: 0 },
        signal: abort.signal,
      }),
    );
    setTimeout(() => abort.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - started).toBeLessThan(1_500);
    const after = await collectGeneration(
      engine.generate({
        model,
        prompt: chat,
        sampling: { maxTokens: 3, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    expect(after.end.usage.outputTokens).toBe(3);
  });

  it("embeds texts into vectors of one dimension", async () => {
    const vectors = await engine.embed(model, ["the Union", "the Congress"]);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]?.length).toBeGreaterThan(0);
    expect(vectors[1]?.length).toBe(vectors[0]?.length);
  });
});
