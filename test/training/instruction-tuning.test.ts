// Instruction tuning that shows: LoRA on prompt→completion pairs through the real driver (child process), the
// exported adapter served by LlamaCppEngine, greedy, on 50 held-out prompts.
//
// What is learned, honestly: every completion is " Aye, captain: <the prompt's last word>." The check is the
// reply format ("Aye, captain:" opening the reply), which a random base never produces; that is a fixed
// sequence after any prompt, so it is learnable in seconds by a 2-block, 64-wide model. Echoing the last word
// (a copy from the prompt) is much harder for such a model in this budget: its rate is printed, not asserted.
//
// The base is random, with one change from makeTestModel: the final RMS norm's gain is 8 instead of 1. With
// tied embeddings of std 0.02 and unit gain every logit lies within about ±1.3, so a LoRA (which never touches
// embeddings or norms) can move the argmax but never make a confident prediction (the masked loss stays near
// ln 512); gain 8 gives the logits the range a pretrained model's have, and the loss can then fall.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectGeneration, type EngineModel } from "../../src/inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../../src/inference/engine/llama-cpp-engine.js";
import {
  beginOfTextToken,
  defaultChatTemplate,
  endOfTextToken,
  reservedControlTokens,
} from "../../src/model-files/create-model/default-chat-template.js";
import { tinyLlamaDimensions } from "../../src/model-files/create-model/llama-model-spec.js";
import { randomLlamaWeights } from "../../src/model-files/create-model/random-initialization.js";
import { writeLlamaGguf } from "../../src/model-files/create-model/write-llama-gguf.js";
import { limitTexts, stateOfTheUnionTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../../src/model-files/tokenizer/train-bpe-tokenizer.js";
import { loadTokenizerModel, prepareRows } from "../../src/training/data/prepare-training-data.js";
import { loadNativeTrainer } from "../../src/training/native-trainer.js";
import { validationLoss } from "../../src/training/run-training.js";
import { startTrainingProcess } from "../../src/training/start-training-process.js";
import type { TrainingData } from "../../src/training/training-config.js";

const root = join(import.meta.dirname, "..", "..");
let directory: string;
let modelPath: string;

const corpus = [...limitTexts(stateOfTheUnionTexts({ before: 1900 }), 200_000)].join(" ").toLowerCase();
const words = [...new Set(corpus.match(/\b[a-z]{4,9}\b/g) ?? [])];
// Last words that are one token (" law") in the test model's 512-token vocabulary, so that echoing one is a
// single copy; the prompts' first two words are corpus words, those of the held-out prompts never trained on.
const lastWords = [
  "the",
  "and",
  "for",
  "with",
  "that",
  "our",
  "which",
  "have",
  "will",
  "been",
  "their",
  "not",
]
  .concat([
    "from",
    "has",
    "them",
    "this",
    "are",
    "may",
    "you",
    "all",
    "count",
    "part",
    "law",
    "public",
    "can",
  ])
  .concat(["they"]);
function example(index: number): { prompt: string; completion: string; lastWord: string } {
  const lastWord = lastWords[(index * 7 + (index >> 3)) % lastWords.length] as string;
  const prompt = `${words[index * 3]} ${words[index * 3 + 1]} ${lastWord}`;
  return { prompt, completion: ` Aye, captain: ${lastWord}.`, lastWord };
}
const trainingExamples = Array.from({ length: 300 }, (_, i) => example(i));
const heldOutExamples = Array.from({ length: 50 }, (_, i) => example(400 + i));
const pairs = (examples: typeof trainingExamples) =>
  examples.map(({ prompt, completion }) => ({ prompt, completion }));
const training: TrainingData = { kind: "promptCompletion", pairs: pairs(trainingExamples) };
const heldOut: TrainingData = { kind: "promptCompletion", pairs: pairs(heldOutExamples) };
const replyFormat = /^\s*Aye, captain:/;

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  directory = mkdtempSync(join(tmpdir(), "strata-instruction-tuning-"));
  modelPath = join(directory, "base.gguf");
  const vocabulary = await trainBpeTokenizer({
    texts: limitTexts(stateOfTheUnionTexts({ before: 1900 }), 200_000),
    vocabularySize: 512,
    specialTokens: [...reservedControlTokens],
    bosToken: beginOfTextToken,
    eosToken: endOfTextToken,
  });
  const dimensions = {
    ...tinyLlamaDimensions,
    vocabularySize: vocabulary.tokens.length,
    contextLength: 128,
    embeddingLength: 64,
    blockCount: 2,
    feedForwardLength: 128,
    headCount: 2,
    headCountKv: 1,
  };
  const random = randomLlamaWeights(dimensions, 1);
  await writeLlamaGguf(modelPath, {
    name: "strata-test-tiny-gain8",
    dimensions,
    vocabulary,
    chatTemplate: defaultChatTemplate,
    tensorType: "F32",
    weights: (tensor) =>
      tensor.name === "output_norm.weight" ? new Float32Array(tensor.elementCount).fill(8) : random(tensor),
  });
}, 240_000);

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function replyRates(
  engine: LlamaCppEngine,
  model: EngineModel,
): Promise<{ format: number; echo: number; samples: string[] }> {
  let format = 0;
  let echo = 0;
  const samples: string[] = [];
  for (const { prompt, lastWord } of heldOutExamples) {
    const { text } = await collectGeneration(
      engine.generate({
        model,
        prompt: { kind: "text", text: prompt },
        sampling: { maxTokens: 14, temperature: 0 },
        signal: new AbortController().signal,
      }),
    );
    if (samples.length < 3) samples.push(`${JSON.stringify(prompt)} → ${JSON.stringify(text)}`);
    if (replyFormat.test(text)) format++;
    if (text.trim() === `Aye, captain: ${lastWord}.`) echo++;
  }
  return { format: format / heldOutExamples.length, echo: echo / heldOutExamples.length, samples };
}

describe("instruction tuning", () => {
  it("a LoRA trained through the driver and served by the engine answers in the trained format", async () => {
    const tokenizer = await loadTokenizerModel(modelPath);
    const heldOutRows = prepareRows(tokenizer, heldOut, 128);
    await tokenizer.dispose();
    const base = await loadNativeTrainer().openTrainer({ modelPath, mode: "full", maxTokens: 128 });
    const baseLoss = await validationLoss(base, heldOutRows);
    base.dispose();

    const adapterPath = join(directory, "adapter.gguf");
    const validation: number[] = [];
    const started = performance.now();
    const run = startTrainingProcess(
      {
        modelPath,
        checkpointDirectory: join(directory, "checkpoints"),
        outputPath: adapterPath,
        training,
        validation: heldOut,
        mode: "lora",
        loraRank: 8,
        loraAlpha: 16,
        steps: 300,
        rowsPerStep: 4,
        sequenceLength: 128,
        learningRate: 1e-2,
        warmupSteps: 5,
        validationEvery: 50,
        checkpointEvery: 300,
        seed: 3,
      },
      (event) => {
        if (event.type === "validation") validation.push(event.loss);
      },
    );
    await expect(run.outcome).resolves.toMatchObject({
      type: "finished",
      status: "completed",
      step: 300,
      outputPath: adapterPath,
    });
    const trainingSeconds = (performance.now() - started) / 1000;

    const engine = new LlamaCppEngine({ threads: 1, sequencesPerModel: 1, maxContextSize: 128 });
    try {
      const before = await replyRates(engine, { modelId: "base", filePath: modelPath });
      const after = await replyRates(engine, {
        modelId: "tuned",
        filePath: modelPath,
        adapter: { filePath: adapterPath, scale: 1 },
      });
      console.log(
        `training ${trainingSeconds.toFixed(1)} s (300 LoRA steps, child process)\n` +
          `masked held-out loss: base ${baseLoss.toFixed(3)} → ${validation.map((l) => l.toFixed(3)).join(" → ")}\n` +
          `reply format on 50 held-out prompts: base ${(before.format * 100).toFixed(0)} %, ` +
          `with the adapter ${(after.format * 100).toFixed(0)} %\n` +
          `exact reply with the echoed last word (not asserted): base ${(before.echo * 100).toFixed(0)} %, ` +
          `with the adapter ${(after.echo * 100).toFixed(0)} %\n` +
          `base:  ${before.samples.join("; ")}\ntuned: ${after.samples.join("; ")}`,
      );
      expect(after.format).toBeGreaterThanOrEqual(0.8);
      expect(before.format).toBeLessThanOrEqual(0.1);
    } finally {
      await engine.dispose();
    }
    const last = validation.at(-1) ?? Number.NaN;
    expect(validation).toHaveLength(6);
    expect(last).toBeLessThan(baseLoss * 0.5);
    expect(last).toBeLessThan(validation[0] ?? Number.NaN);
  }, 90_000);
});
