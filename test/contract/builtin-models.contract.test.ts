// Strata's built-in models, as a clean clone has them: listed by the unmodified Bedrock SDK with provider
// "Strata", the chat model answering through Converse and ending its turn on its own on at least 95 of 100
// held-out prompts, the base model's held-out perplexity far below its random initialisation's, and the files
// within their size budget with their recipes next to them.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockClient, ListFoundationModelsCommand } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinModelsFolder } from "../../src/catalog/builtin-models.js";
import { limitTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { runCreateModelWorker } from "../../src/model-import/create-local-model.js";
import { tinyChatRecipe } from "../../src/pretraining/builtin-models-build.js";
import { chatTuningData } from "../../src/pretraining/chat-conversations.js";
import { heldOutPerplexity } from "../../src/pretraining/pretrain-model.js";
import { pretrainingCorpus } from "../../src/pretraining/pretraining-corpus.js";
import { tinyBaseRecipe } from "../../src/pretraining/pretraining-recipe.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const base = "strata.tiny-base-v1";
const chat = "strata.tiny-chat-v1";
let strata: TestStrata;
let runtime: BedrockRuntimeClient;
let control: BedrockClient;
let workDirectory: string;

beforeAll(async () => {
  strata = await startTestStrata({ sequencesPerModel: 2 });
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  runtime = new BedrockRuntimeClient(client);
  control = new BedrockClient(client);
  workDirectory = mkdtempSync(join(tmpdir(), "strata-builtin-"));
});

afterAll(async () => {
  runtime?.destroy();
  control?.destroy();
  await strata?.stop();
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
});

describe("built-in models", () => {
  it("are listed by ListFoundationModels with provider Strata, within their size budget, with recipes", async () => {
    const listed = await control.send(new ListFoundationModelsCommand({ byProvider: "Strata" }));
    const ids = listed.modelSummaries?.map((model) => model.modelId) ?? [];
    expect(ids).toEqual(expect.arrayContaining([base, chat]));
    let total = 0;
    for (const id of [base, chat]) {
      const size = statSync(join(builtinModelsFolder, `${id}.gguf`)).size;
      expect(size).toBeLessThanOrEqual(10 * 1024 * 1024);
      total += size;
      const recipe = JSON.parse(readFileSync(join(builtinModelsFolder, `${id}.recipe.json`), "utf8")) as {
        model: string;
        file: { bytes: number };
      };
      expect(recipe.model).toBe(id);
      expect(recipe.file.bytes).toBe(size);
    }
    expect(total).toBeLessThanOrEqual(20 * 1024 * 1024);
  });

  it("the chat model ends its turn by itself on at least 95 of 100 held-out prompts, through Converse", async () => {
    const { heldOutPrompts } = chatTuningData({
      seed: tinyChatRecipe.seed,
      training: tinyChatRecipe.conversations,
      validation: tinyChatRecipe.validationConversations,
      heldOutPrompts: tinyChatRecipe.heldOutPrompts,
    });
    expect(heldOutPrompts).toHaveLength(100);
    let endedTurn = 0;
    const answers: string[] = [];
    for (const prompt of heldOutPrompts) {
      const response = await runtime.send(
        new ConverseCommand({
          modelId: chat,
          messages: [{ role: "user", content: [{ text: prompt }] }],
          inferenceConfig: { maxTokens: tinyChatRecipe.turnEndingMaxTokens, temperature: 0 },
        }),
      );
      if (response.stopReason === "end_turn") endedTurn++;
      answers.push(response.output?.message?.content?.[0]?.text ?? "");
    }
    expect(endedTurn).toBeGreaterThanOrEqual(95);
    // Answers, not template debris: no control token leaks into the text.
    expect(answers.filter((answer) => answer.includes("<|im_"))).toEqual([]);
  }, 120_000);

  it("the base model's held-out perplexity is far below that of its random initialisation", async () => {
    const corpus = pretrainingCorpus();
    const sample = { heldOut: [...limitTexts(corpus.heldOut, 60_000)] };
    const initialPath = join(workDirectory, "initial.gguf");
    // The recipe's own starting point: same seed, same tokenizer corpus, random weights.
    const created = await runCreateModelWorker({
      path: initialPath,
      name: "initial",
      dimensions: tinyBaseRecipe.dimensions,
      seed: tinyBaseRecipe.seed,
      tensorType: "F32",
      corpus: { texts: corpus.training },
      maxCorpusBytes: Number.MAX_SAFE_INTEGER,
    });
    expect(created.ok).toBe(true);
    const settings = { sequenceLength: tinyBaseRecipe.sequenceLength, threads: 2 };
    const random = await heldOutPerplexity(initialPath, sample, settings, workDirectory);
    const trained = await heldOutPerplexity(
      join(builtinModelsFolder, `${base}.gguf`),
      sample,
      settings,
      workDirectory,
    );
    expect(random).toBeGreaterThan(4000);
    expect(trained).toBeLessThan(random / 10);
  }, 120_000);
});
