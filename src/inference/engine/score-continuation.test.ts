// LlamaCppEngine.scoreContinuation against a reference computed another way: one node-llama-cpp
// evaluateWithMetadata call per prefix (incremental decoding, the sampler's full probability list), summed by
// hand. On the built-in chat model, whose answers are not random, it also tells likely text from unlikely text.
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinModelsFolder } from "../../catalog/builtin-models.js";
import { collectGeneration, type EngineModel, type Prompt } from "./inference-engine.js";
import { LlamaCppEngine } from "./llama-cpp-engine.js";

const modelPath = join(builtinModelsFolder, "strata.tiny-chat-v1.gguf");
const model: EngineModel = { modelId: "strata.tiny-chat-v1", filePath: modelPath };
const signal = new AbortController().signal;
let engine: LlamaCppEngine;
let llama: Llama;
let reference: LlamaModel;

beforeAll(async () => {
  engine = new LlamaCppEngine({ threads: 1, sequencesPerModel: 2 });
  llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  reference = await llama.loadModel({ modelPath });
});

afterAll(async () => {
  await engine?.dispose();
  await reference?.dispose();
});

/** −Σ ln p(token_i | tokens before it) for i ≥ contextLength, one fresh decode per prefix. */
async function referenceNegativeLogLikelihood(tokens: Token[], contextLength: number): Promise<number> {
  const context = await reference.createContext({ contextSize: 256, sequences: 1, threads: 1 });
  try {
    let total = 0;
    for (let i = contextLength; i < tokens.length; i++) {
      const sequence = context.getSequence();
      const iterator = sequence.evaluateWithMetadata(tokens.slice(0, i), { probabilities: true });
      const first = await iterator.next();
      await iterator.return();
      if (first.done) throw new Error("no prediction");
      total -= Math.log(first.value.probabilities.get(tokens[i] as Token) ?? 0);
      await sequence.dispose();
    }
    return total;
  } finally {
    await context.dispose();
  }
}

describe("scoreContinuation", () => {
  it("matches the likelihood summed from node-llama-cpp's per-prefix probabilities (text prompt)", async () => {
    const promptText = "The President of the United States";
    const continuation = " shall receive for his services a compensation";
    const score = await engine.scoreContinuation({
      model,
      prompt: { kind: "text", text: promptText },
      continuation,
      signal,
    });
    const bos = reference.tokens.bos as Token;
    const eos = reference.tokens.eos as Token;
    const context = [bos, ...reference.tokenize(promptText)];
    const scored = [...reference.tokenize(continuation), eos];
    expect(score.tokenCount).toBe(scored.length);
    const expected = await referenceNegativeLogLikelihood([...context, ...scored], context.length);
    // Batched and incremental decoding round differently in float32: agree to a thousandth of a nat per token.
    expect(Math.abs(score.negativeLogLikelihood - expected) / scored.length).toBeLessThan(1e-3);
  });

  it("finds the model's own greedy answer far likelier than the same words in another order (chat prompt)", async () => {
    const prompt: Prompt = { kind: "chat", messages: [{ role: "user", text: "Who are you?" }] };
    const answer = await collectGeneration(
      engine.generate({ model, prompt, sampling: { maxTokens: 24, temperature: 0 }, signal }),
    );
    const own = await engine.scoreContinuation({ model, prompt, continuation: answer.text, signal });
    const shuffled = answer.text.split(" ").reverse().join(" ");
    const other = await engine.scoreContinuation({ model, prompt, continuation: shuffled, signal });
    expect(own.tokenCount).toBeGreaterThan(2);
    expect(own.negativeLogLikelihood / own.tokenCount).toBeLessThan(
      other.negativeLogLikelihood / other.tokenCount - 1,
    );
  });

  it("refuses a text longer than the context", async () => {
    await expect(
      engine.scoreContinuation({
        model,
        prompt: { kind: "text", text: "word ".repeat(5000) },
        continuation: "more",
        signal,
      }),
    ).rejects.toMatchObject({ kind: "context-overflow" });
  });

  // Scored on the shared sequences, five tasks scoring two labels each in turn gave, over 60 rounds, 6 to 17 of
  // 600 scores that differed from the same text scored alone (by up to 0.27 nats, always on a task's second
  // label): llama.cpp decoding them in batches with other sequences. Scores now have a context of their own.
  it("gives every score as if it ran alone, however many run at once and while the model generates", async () => {
    const baseModel: EngineModel = {
      modelId: "strata.tiny-base-v1",
      filePath: join(builtinModelsFolder, "strata.tiny-base-v1.gguf"),
    };
    const labels = [" ham", " spam"];
    const texts = ["N/A", "", "WIN A FREE PRIZE NOW", "Minutes of the meeting", "Your invoice is attached"];
    const prompt = (text: string): Prompt => ({
      kind: "text",
      text: `Classify the text. Answer with one of these labels: ham, spam.\n\nText: ${text}\n\nLabel:`,
    });
    const scoreBoth = async (text: string) => {
      const scores: number[] = [];
      for (const continuation of labels)
        scores.push(
          (await engine.scoreContinuation({ model: baseModel, prompt: prompt(text), continuation, signal }))
            .negativeLogLikelihood,
        );
      return scores;
    };
    // Enough sequences for every task at once (the engine above has 2).
    const engine = new LlamaCppEngine({ threads: 1, sequencesPerModel: 8 });
    const alone: number[][] = [];
    for (const text of texts) alone.push(await scoreBoth(text));
    let differing = 0;
    for (let round = 0; round < 40; round++) {
      const generating = collectGeneration(
        engine.generate({
          model: baseModel,
          prompt: prompt("Hello"),
          sampling: { maxTokens: 8, temperature: 0 },
          signal,
        }),
      );
      const together = await Promise.all(texts.map(scoreBoth));
      await generating;
      together.forEach((scores, i) => {
        scores.forEach((score, j) => {
          if (score !== alone[i]?.[j]) differing++;
        });
      });
    }
    await engine.dispose();
    expect(differing).toBe(0);
  }, 120_000);
});
