// The recipes of the two built-in models as runnable steps, each writing its GGUF and a recipe record (corpus,
// split, tokenizer, dimensions, seed, tokens seen, wall time, held-out measurements) next to it in models/.
import { existsSync } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parameterCount } from "../model-files/create-model/llama-model-spec.js";
import { loadNativeTrainer } from "../training/native-trainer.js";
import { startTrainingProcess } from "../training/start-training-process.js";
import { chatTuningData } from "./chat-conversations.js";
import { measureTurnEnding } from "./measure-turn-ending.js";
import { pretrainModel } from "./pretrain-model.js";
import { pretrainingCorpus } from "./pretraining-corpus.js";
import { fullTrainingSettings, tinyBaseRecipe } from "./pretraining-recipe.js";

export const builtinModelsDirectory = fileURLToPath(new URL("../../models/", import.meta.url));
export const builtinBaseFile = "strata.tiny-base-v1.gguf";
export const builtinChatFile = "strata.tiny-chat-v1.gguf";

export async function buildBaseModel(
  workDirectory: string,
  modelsDirectory: string,
  log: (line: string) => void,
): Promise<void> {
  const recipe = { ...tinyBaseRecipe, ...threadsOverride() };
  const corpus = pretrainingCorpus();
  log(`corpus: ${corpus.description}`);
  log(`model: ${parameterCount(recipe.dimensions).toLocaleString("en")} parameters, ${recipe.steps} steps`);
  const started = performance.now();
  const outcome = await pretrainModel(
    recipe,
    corpus,
    join(workDirectory, "base"),
    join(modelsDirectory, builtinBaseFile),
    {
      onPhase: (phase) => log(`phase: ${phase}`),
      onStep: (m) => {
        if (m.step % 25 === 0)
          log(
            `step ${m.step} loss ${m.loss.toFixed(3)} lr ${m.learningRate.toExponential(2)} ${m.tokensPerSecond.toFixed(0)} tok/s`,
          );
      },
      onValidation: (m) =>
        log(`held-out step ${m.step}: loss ${m.loss.toFixed(3)} perplexity ${m.perplexity.toFixed(1)}`),
    },
  );
  if (outcome.status !== "completed") throw new Error("pretraining was cancelled");
  const result = outcome.result;
  const record = {
    model: recipe.name,
    rebuild: "npm run build:builtin-models -- base",
    corpus: {
      description: corpus.description,
      heldOutRule: "State of the Union speeches before 1900, oldest first: every 10th starting with the 6th",
      heldOutYears: corpus.heldOutYears,
      trainingSpeeches: corpus.trainingSpeeches,
      mobyDickChapters: corpus.mobyDickChapters,
    },
    tokenizer: `byte-level BPE (GPT-2 pre-tokenizer) trained by Strata on the training split, ${result.vocabularySize} tokens`,
    dimensions: recipe.dimensions,
    parameters: result.parameterCount,
    recipe,
    tokensSeen: result.tokensSeen,
    wallSeconds: {
      tokenizerAndInitialisation: round(result.tokenizerSeconds),
      training: round(result.trainingSeconds),
      total: round((performance.now() - started) / 1000),
    },
    heldOutPerplexity: {
      randomInitialisation: round(result.initialPerplexity),
      trainedF32: round(result.trainedPerplexity),
      shipped: round(result.shippedPerplexity),
      curve: result.curve.map((point) => ({ step: point.step, perplexity: round(point.perplexity) })),
    },
    file: { name: builtinBaseFile, bytes: result.fileSizeBytes, type: recipe.quantization },
    builtOn: new Date().toISOString().slice(0, 10),
  };
  await writeFile(
    join(modelsDirectory, "strata.tiny-base-v1.recipe.json"),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  log(`done: ${JSON.stringify(record.heldOutPerplexity)}`);
}

/**
 * strata.tiny-chat-v1: the trained F32 base, fully fine-tuned on generated conversations (loss on the
 * assistant turns and their end-of-turn token only), quantized like the base.
 */
export const tinyChatRecipe = {
  name: "strata.tiny-chat-v1",
  seed: 20_261_130,
  conversations: 4000,
  validationConversations: 200,
  heldOutPrompts: 100,
  steps: 300,
  rowsPerStep: 8,
  sequenceLength: 256,
  learningRate: 3e-4,
  minimumLearningRate: 3e-5,
  warmupSteps: 20,
  weightDecay: 0.1,
  adamBeta2: 0.99,
  maxGradNorm: 1,
  validationEvery: 100,
  quantization: "q8_0" as const,
  threads: 2,
  turnEndingMaxTokens: 96,
};
export type ChatRecipe = typeof tinyChatRecipe;

export async function buildChatModel(
  workDirectory: string,
  modelsDirectory: string,
  log: (line: string) => void,
  chosen: ChatRecipe = tinyChatRecipe,
): Promise<void> {
  const recipe = { ...chosen, ...threadsOverride() };
  const basePath = join(workDirectory, "base", "trained-f32.gguf");
  if (!existsSync(basePath)) throw new Error(`${basePath} is missing: build the base model first`);
  const chatDirectory = join(workDirectory, "chat");
  await mkdir(chatDirectory, { recursive: true });
  const data = chatTuningData({
    seed: recipe.seed,
    training: recipe.conversations,
    validation: recipe.validationConversations,
    heldOutPrompts: recipe.heldOutPrompts,
  });
  const started = performance.now();
  const curve: { step: number; loss: number }[] = [];
  const tunedPath = join(chatDirectory, "tuned-f32.gguf");
  const run = startTrainingProcess(
    {
      modelPath: basePath,
      checkpointDirectory: join(chatDirectory, "checkpoints"),
      training: { kind: "conversations", conversations: data.training },
      validation: { kind: "conversations", conversations: data.validation },
      outputPath: tunedPath,
      ...fullTrainingSettings(recipe),
      checkpointEvery: 50,
    },
    (event) => {
      if (event.type === "step" && event.step % 25 === 0)
        log(`step ${event.step} loss ${event.loss.toFixed(3)} ${event.tokensPerSecond.toFixed(0)} tok/s`);
      if (event.type === "validation") {
        curve.push({ step: event.step, loss: round(event.loss) });
        log(`held-out conversations step ${event.step}: loss ${event.loss.toFixed(3)}`);
      }
    },
  );
  const outcome = await run.outcome;
  if (outcome.type !== "finished" || outcome.status !== "completed")
    throw new Error(`chat tuning did not complete: ${JSON.stringify(outcome)}`);
  const trainingSeconds = (performance.now() - started) / 1000;

  const outputPath = join(modelsDirectory, builtinChatFile);
  await loadNativeTrainer().quantize(tunedPath, `${outputPath}.partial`, recipe.quantization, {
    threads: recipe.threads,
  });
  await rename(`${outputPath}.partial`, outputPath);
  log("measuring how often it ends its turn on the held-out prompts");
  const turnEnding = await measureTurnEnding(outputPath, data.heldOutPrompts, {
    maxTokens: recipe.turnEndingMaxTokens,
    threads: recipe.threads,
  });
  log(`ended its turn on ${turnEnding.endedTurn}/${turnEnding.prompts}`);
  const record = {
    model: recipe.name,
    rebuild: "npm run build:builtin-models -- chat (after the base)",
    base: "strata.tiny-base-v1 (its trained F32 weights, before quantization)",
    data: {
      description:
        "conversations generated by src/pretraining/chat-conversations.ts: persona, greetings, who gave the State of the Union address of a year and their party, continuing and repeating Moby-Dick sentences, word and number tasks; a quarter with a system prompt, 30 % multi-turn",
      trainingConversations: data.training.length,
      validationConversations: data.validation.length,
      heldOutPrompts: data.heldOutPrompts.length,
    },
    recipe,
    trainedTokensSeen: recipe.steps * recipe.rowsPerStep * recipe.sequenceLength,
    wallSeconds: { training: round(trainingSeconds), total: round((performance.now() - started) / 1000) },
    heldOutConversationLoss: curve,
    turnEnding,
    file: { name: builtinChatFile, bytes: (await stat(outputPath)).size, type: recipe.quantization },
    builtOn: new Date().toISOString().slice(0, 10),
  };
  await writeFile(
    join(modelsDirectory, "strata.tiny-chat-v1.recipe.json"),
    `${JSON.stringify(record, null, 2)}\n`,
  );
}

/**
 * STRATA_BUILD_THREADS overrides the recipe's thread count (not part of the model: only the speed changes).
 * On a busy 2-core machine one thread beats two, whose barrier spins while the other thread waits for a core.
 */
function threadsOverride(): { threads?: number } {
  const value = Number(process.env.STRATA_BUILD_THREADS);
  return Number.isInteger(value) && value > 0 ? { threads: value } : {};
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
