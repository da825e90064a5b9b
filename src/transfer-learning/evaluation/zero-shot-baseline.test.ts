// The zero-shot baseline on the built-in base model (llama.cpp): each label is scored after the prompt through
// the gated engine, as a job scores it; the prediction is the least surprising label; the text is cut to the
// head's token budget; and an engine that cannot score fails the job with a reason instead of guessing.
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { JobFailure } from "../../customization/jobs/run-customization-job.js";
import type {
  EngineModel,
  InferenceEngine,
  ScoringEngine,
  ScoringRequest,
} from "../../inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../../inference/engine/llama-cpp-engine.js";
import { CapacityGates } from "../../provisioned-throughput/capacity-gates.js";
import { capacityKeyOf, GatedEngine } from "../../provisioned-throughput/gated-engine.js";
import { mostLikelyLabel, zeroShotPrompt } from "./zero-shot.js";
import { zeroShotPredictions } from "./zero-shot-baseline.js";

const engine = new LlamaCppEngine({ threads: 1 });
const model: EngineModel = {
  modelId: "strata.tiny-base-v1",
  filePath: fileURLToPath(new URL("../../../models/strata.tiny-base-v1.gguf", import.meta.url)),
};
const labels = ["ham", "spam"];
const texts = [
  "Minutes of Monday's meeting: the committee shall report on the whale fishery.",
  "WIN A FREE PRIZE NOW!!! Click here to claim your money.",
  `A long letter. ${"The ship sailed on and on across the sea. ".repeat(60)}`,
];

afterAll(() => engine.dispose());

/** The real engine's generation, counting and embedding, without scoring. */
const generationOnly: InferenceEngine = {
  generate: (request) => engine.generate(request),
  countTokens: (countModel, prompt) => engine.countTokens(countModel, prompt),
  embed: (embedModel, batch, options) => engine.embed(embedModel, batch, options),
  supportsTools: (toolModel) => engine.supportsTools(toolModel),
  contextLength: (lengthModel) => engine.contextLength(lengthModel),
  dispose: async () => undefined,
};

/** The engine a job gets: every call through its model's on-demand gate. */
function gated(inner: InferenceEngine & Partial<ScoringEngine>): GatedEngine {
  const gates = new CapacityGates();
  return new GatedEngine(inner, gates, (gatedModel) => {
    const key = capacityKeyOf(gatedModel);
    if (!gates.load(key)) gates.define(key, { sequences: 1, queueLength: 8 }, "on-demand");
  });
}

describe("zero-shot by label likelihood", () => {
  it("scores every label after the prompt and predicts the least surprising one, for every record", async () => {
    const scored: ScoringRequest[] = [];
    const recording = {
      ...generationOnly,
      scoreContinuation: (request: ScoringRequest) => {
        scored.push(request);
        return engine.scoreContinuation(request);
      },
    };
    const result = await zeroShotPredictions({
      engine: gated(recording),
      model,
      labels,
      texts,
      maxInputTokens: 24,
      signal: new AbortController().signal,
    });

    expect(result.predicted).toHaveLength(texts.length);
    expect(scored.map((request) => request.continuation)).toEqual([
      " ham",
      " spam",
      " ham",
      " spam",
      " ham",
      " spam",
    ]);
    for (const [index, likelihoods] of result.negativeLogLikelihoods.entries()) {
      for (const label of labels) expect(likelihoods[label]).toBeGreaterThan(0);
      expect(result.predicted[index]).toBe(mostLikelyLabel(labels, likelihoods));
    }
    // The long letter is cut to the head's budget: the prompt holds at most 24 of its tokens.
    const longPrompt = scored[4]?.prompt;
    if (longPrompt?.kind !== "text") throw new Error("a text prompt was expected");
    const [before, after] = zeroShotPrompt(labels, "{text}").split("{text}") as [string, string];
    expect(longPrompt.text.startsWith(before) && longPrompt.text.endsWith(after)).toBe(true);
    const cut = longPrompt.text.slice(before.length, longPrompt.text.length - after.length);
    expect(texts[2]?.startsWith(cut)).toBe(true);
    expect(await engine.countTokens(model, { kind: "text", text: cut })).toBeLessThanOrEqual(24);
    // The same scores as the engine gives when asked directly.
    const direct = await engine.scoreContinuation({
      model,
      prompt: { kind: "text", text: zeroShotPrompt(labels, texts[0] ?? "") },
      continuation: " spam",
      signal: new AbortController().signal,
    });
    expect(result.negativeLogLikelihoods[0]?.spam).toBeCloseTo(direct.negativeLogLikelihood, 6);
  });

  it("fails the job with a reason when the engine cannot score a continuation", async () => {
    const failed = await zeroShotPredictions({
      engine: gated(generationOnly),
      model,
      labels,
      texts: texts.slice(0, 1),
      maxInputTokens: 24,
      signal: new AbortController().signal,
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(JobFailure);
    expect((failed as Error).message).toMatch(
      /zero-shot baseline scores each label's likelihood under strata\.tiny-base-v1, and the engine serving it cannot score a continuation/,
    );
  });
});
