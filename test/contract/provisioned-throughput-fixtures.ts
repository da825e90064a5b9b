// Fixtures of the provisioned-throughput contract tests: a LoRA adapter whose behaviour shows in Converse (it
// answers one question with a memorized sentence, through the model's own chat template), registered as a
// custom model the way a completed customization job registers one.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { getLlama, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import type { CustomModel } from "../../src/customization/custom-models/custom-model-registry.js";
import { toChatHistory } from "../../src/inference/engine/chat-history.js";
import { createLlamaModel } from "../../src/model-files/create-model/create-llama-model.js";
import {
  beginOfTextToken,
  endOfTextToken,
  reservedControlTokens,
} from "../../src/model-files/create-model/default-chat-template.js";
import { tinyLlamaDimensions } from "../../src/model-files/create-model/llama-model-spec.js";
import { limitTexts, stateOfTheUnionTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../../src/model-files/tokenizer/train-bpe-tokenizer.js";
import { registerGgufModel } from "../../src/model-import/register-gguf-model.js";
import { newResourceId } from "../../src/model-import/resource-ids.js";
import { loadNativeTrainer } from "../../src/training/native-trainer.js";
import type { TestStrata } from "../support/start-test-strata.js";

export const trainedQuestion = "Who shall assemble?";
export const trainedAnswer = " The Congress of the United States shall assemble at least once in every year";

/** Trains a LoRA adapter (in process, 60 steps) that answers trainedQuestion with trainedAnswer. */
export async function trainAnswerAdapter(
  basePath: string,
  adapterPath: string,
  answerText = trainedAnswer,
): Promise<void> {
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: basePath });
  const chatWrapper = resolveChatWrapper(model);
  const { contextText } = chatWrapper.generateContextState({
    chatHistory: toChatHistory(undefined, [{ role: "user", text: trainedQuestion }]),
  });
  const prompt = contextText.tokenize(model.tokenizer) as number[];
  const answer = model.tokenize(answerText) as number[];
  await model.dispose();
  const sequence = [...prompt, ...answer];
  const trainer = await loadNativeTrainer().openTrainer({
    modelPath: basePath,
    mode: "lora",
    loraRank: 8,
    loraAlpha: 16,
    threads: 1,
    maxTokens: sequence.length,
    seed: 1,
  });
  try {
    const batch = {
      tokens: sequence.slice(0, -1),
      targets: sequence.slice(1),
      lossMask: sequence.slice(1).map((_, index) => (index + 1 >= prompt.length ? 1 : 0)),
    };
    for (let step = 0; step < 60; step++) await trainer.step([batch], { learningRate: 1e-2 });
    await trainer.saveLoraAdapter(adapterPath);
  } finally {
    trainer.dispose();
  }
}

/** Registers an adapter as a custom model of `baseModelId` (what a completed customization job does). */
export async function registerCustomModel(
  strata: TestStrata,
  options: { name: string; baseModelId: string; baseModelFile: string; adapterFile: string },
): Promise<CustomModel> {
  const relativeToData = (file: string) => relative(strata.dataDirectory, file);
  const jobId = newResourceId();
  const lineage = {
    baseModelId: options.baseModelId,
    trainingData: { s3Uri: "s3://strata/test/train.jsonl", sha256: "0".repeat(64), bytes: 1, records: 1 },
    validationData: [],
    hyperParameters: { epochCount: "1" },
    steps: 60,
    trainedTokens: 60,
    validationLosses: [],
    trainerVersion: "test",
  };
  return strata.customization.customModels.registerForCompletedJob({
    customModelId: newResourceId(),
    modelName: options.name,
    jobId,
    jobName: `${options.name}-job`,
    baseModelId: options.baseModelId,
    customizationType: "FINE_TUNING",
    trainingMethod: "lora",
    baseModelFile: relativeToData(options.baseModelFile),
    artifactFile: relativeToData(options.adapterFile),
    artifactKind: "lora-adapter",
    fileSizeBytes: 1,
    hyperParameters: lineage.hyperParameters,
    trainingDataUri: lineage.trainingData.s3Uri,
    validationDataUris: [],
    outputDataUri: "s3://strata/test/output/",
    validationLosses: [],
    lineage,
  });
}

export function modelsDirectory(strata: TestStrata): string {
  return join(strata.dataDirectory, "models");
}

/** A local model like registerTestModel's but wider and deeper: same vocabulary, more work per token. */
export async function registerLargerTestModel(strata: TestStrata, modelId: string): Promise<void> {
  const incomingDirectory = join(strata.dataDirectory, "models", ".incoming");
  mkdirSync(incomingDirectory, { recursive: true });
  const incomingPath = join(incomingDirectory, `${randomUUID()}.gguf`);
  const vocabulary = await trainBpeTokenizer({
    texts: limitTexts(stateOfTheUnionTexts({ before: 1900 }), 200_000),
    vocabularySize: 512,
    specialTokens: [...reservedControlTokens],
    bosToken: beginOfTextToken,
    eosToken: endOfTextToken,
  });
  await createLlamaModel({
    path: incomingPath,
    name: modelId,
    dimensions: {
      ...tinyLlamaDimensions,
      vocabularySize: vocabulary.tokens.length,
      contextLength: 256,
      embeddingLength: 512,
      blockCount: 8,
      feedForwardLength: 1536,
      headCount: 8,
      headCountKv: 2,
    },
    vocabulary,
    seed: 2,
    tensorType: "Q8_0",
  });
  await registerGgufModel({
    dataDirectory: strata.dataDirectory,
    registry: strata.localModels,
    incomingPath,
    describedAs: "the larger test model",
    modelId,
    providerName: "Local",
    source: "created",
    sourceUri: "test fixture (provisioned-throughput-fixtures.ts)",
    importedModelId: newResourceId(),
  });
}
