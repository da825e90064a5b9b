// Creates tiny models with random weights and checks that llama.cpp (through node-llama-cpp) loads and runs
// them, and that our GGUF reader and node-llama-cpp's agree on what is in them.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getLlama,
  JinjaTemplateChatWrapper,
  type Llama,
  LlamaChatSession,
  type LlamaModel,
  readGgufFileInfo,
  resolveChatWrapper,
} from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GgufMetadataValue } from "../gguf/gguf-metadata-value.js";
import { readGgufHeader, summarizeLlamaFamilyModel } from "../gguf/read-gguf.js";
import type { GgufWritableTensorType } from "../gguf/write-gguf.js";
import { type CreatedLlamaModel, createLlamaModel } from "./create-llama-model.js";
import { defaultChatTemplate, turnEndToken, turnStartToken } from "./default-chat-template.js";
import { parameterCount, tinyLlamaDimensions } from "./llama-model-spec.js";
import { llamaTensorLayout } from "./llama-tensor-layout.js";
import { handMadeVocabulary } from "./test-support/hand-made-vocabulary.js";

const tensorTypes: GgufWritableTensorType[] = ["F32", "F16", "Q8_0"];
const vocabulary = handMadeVocabulary();
const dimensions = { ...tinyLlamaDimensions, vocabularySize: vocabulary.tokens.length };
const directory = mkdtempSync(join(tmpdir(), "strata-create-model-"));
const models = new Map<GgufWritableTensorType, CreatedLlamaModel>();
const creationMilliseconds = new Map<GgufWritableTensorType, number>();
let llama: Llama;

function created(tensorType: GgufWritableTensorType): CreatedLlamaModel {
  const model = models.get(tensorType);
  if (model === undefined) throw new Error(`no ${tensorType} model`);
  return model;
}

async function withModel<T>(
  tensorType: GgufWritableTensorType,
  use: (model: LlamaModel) => Promise<T>,
): Promise<T> {
  const model = await llama.loadModel({ modelPath: created(tensorType).path });
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

function tokenId(text: string): number {
  const id = vocabulary.tokens.indexOf(text);
  if (id < 0) throw new Error(`no token ${text}`);
  return id;
}

beforeAll(async () => {
  for (const tensorType of tensorTypes) {
    const started = performance.now();
    models.set(
      tensorType,
      await createLlamaModel({
        path: join(directory, `tiny-${tensorType}.gguf`),
        name: `strata-tiny-${tensorType}`,
        dimensions,
        vocabulary,
        seed: 42,
        tensorType,
      }),
    );
    creationMilliseconds.set(tensorType, performance.now() - started);
  }
  llama = await getLlama({ build: "never", gpu: false });
});

afterAll(async () => {
  await llama?.dispose();
});

describe("createLlamaModel", () => {
  it("creates each variant in well under a few seconds, byte-identical for the same seed", async () => {
    for (const tensorType of tensorTypes) expect(creationMilliseconds.get(tensorType)).toBeLessThan(5_000);
    const options = { name: "strata-tiny-F32", dimensions, vocabulary, tensorType: "F32" as const };
    const again = await createLlamaModel({ ...options, path: join(directory, "again.gguf"), seed: 42 });
    expect(readFileSync(again.path).equals(readFileSync(created("F32").path))).toBe(true);
    const otherSeed = await createLlamaModel({ ...options, path: join(directory, "other.gguf"), seed: 43 });
    expect(readFileSync(otherSeed.path).equals(readFileSync(created("F32").path))).toBe(false);
    expect(again.parameterCount).toBe(parameterCount(dimensions));
    expect(again.fileSizeBytes).toBe(readFileSync(again.path).byteLength);
  });

  it("is summarised by our reader with the right architecture, size, context and quantization", async () => {
    for (const tensorType of tensorTypes) {
      const read = await readGgufHeader(created(tensorType).path);
      if (!read.ok) throw new Error(read.reason);
      const summary = summarizeLlamaFamilyModel(read.header);
      expect(summary).toEqual({
        ok: true,
        summary: {
          architecture: "llama",
          name: `strata-tiny-${tensorType}`,
          parameterCount: parameterCount(dimensions),
          contextLength: 512,
          embeddingLength: 256,
          blockCount: 4,
          headCount: 4,
          headCountKv: 2,
          vocabularySize: vocabulary.tokens.length,
          quantization: tensorType,
          chatTemplate: defaultChatTemplate,
          tokenizerModel: "gpt2",
        },
      });
      const expectedTensors = llamaTensorLayout(dimensions).map((tensor) => ({
        name: tensor.name,
        dimensions: tensor.dimensions,
        typeName: tensor.kind === "norm" ? "F32" : tensorType,
      }));
      expect(
        read.header.tensors.map(({ name, dimensions, typeName }) => ({ name, dimensions, typeName })),
      ).toEqual(expectedTensors);
      expect(read.header.tensors.some((tensor) => tensor.name === "output.weight")).toBe(false);
    }
  });

  it("agrees with node-llama-cpp's readGgufFileInfo on metadata and tensors", async () => {
    const path = created("Q8_0").path;
    const ours = await readGgufHeader(path);
    if (!ours.ok) throw new Error(ours.reason);
    const theirs = await readGgufFileInfo(path, { readTensorInfo: true });
    const plain = (value: GgufMetadataValue) => (value.type === "array" ? value.values : value.value);
    const ourMetadata = Object.fromEntries(
      [...ours.header.metadata].map(([key, value]) => [key, plain(value)]),
    );
    expect(flatten(theirs.metadata)).toEqual(ourMetadata);
    expect(theirs.version).toBe(3);
    expect(
      theirs.tensorInfo?.map((tensor) => ({
        name: tensor.name,
        dimensions: tensor.dimensions.map(Number),
        type: tensor.ggmlType,
        offset: Number(tensor.offset),
      })),
    ).toEqual(
      ours.header.tensors.map((tensor) => ({
        name: tensor.name,
        dimensions: tensor.dimensions,
        type: tensor.typeId,
        offset: tensor.offset,
      })),
    );
  });

  it.each(tensorTypes)(
    "loads in llama.cpp as %s with the metadata and tokenizer it was given",
    async (tensorType) => {
      await withModel(tensorType, async (model) => {
        expect(model.trainContextSize).toBe(512);
        expect(model.fileInfo.metadata.general).toMatchObject({
          architecture: "llama",
          name: `strata-tiny-${tensorType}`,
        });
        expect(model.tokens.bos).toBe(vocabulary.bosTokenId);
        expect(model.tokens.eos).toBe(vocabulary.eosTokenId);
        // The merges and the llama-bpe pre-tokenizer at work: "hello" and " the" are single tokens.
        expect(model.tokenize("hello the world")).toEqual([
          tokenId("hello"),
          tokenId("Ġthe"),
          tokenId("Ġw"),
          ..."orld".split("").map(tokenId),
        ]);
        expect(model.detokenize(model.tokenize("hello the world"))).toBe("hello the world");
      });
    },
  );

  it("generates the same 16 greedy tokens twice", async () => {
    await withModel("Q8_0", async (model) => {
      const context = await model.createContext({ contextSize: 128, threads: 1 });
      try {
        const sequence = context.getSequence();
        const beginOfText = model.tokens.bos;
        if (beginOfText === null) throw new Error("the model has no BOS token");
        const prompt = [beginOfText, ...model.tokenize("hello the world")];
        const generate = async () => {
          const generated: number[] = [];
          for await (const token of sequence.evaluate(prompt, { temperature: 0, topK: 1, seed: 1234 })) {
            generated.push(token);
            if (generated.length === 16) break;
          }
          await sequence.clearHistory();
          return generated;
        };
        const first = await generate();
        expect(first).toHaveLength(16);
        expect(first.every((token) => token >= 0 && token < vocabulary.tokens.length)).toBe(true);
        expect(await generate()).toEqual(first);
      } finally {
        await context.dispose();
      }
    });
  });

  it("formats a two-turn conversation with the template's control tokens, and chats", async () => {
    await withModel("F16", async (model) => {
      const template = model.fileInfo.metadata.tokenizer.chat_template;
      expect(template).toBe(defaultChatTemplate);
      const chatHistory = [
        { type: "system" as const, text: "Be brief." },
        { type: "user" as const, text: "Hi there" },
        { type: "model" as const, response: ["Hello!"] },
        { type: "user" as const, text: "Bye" },
        { type: "model" as const, response: [] },
      ];
      const expected =
        `${turnStartToken}system\nBe brief.${turnEndToken}\n` +
        `${turnStartToken}user\nHi there${turnEndToken}\n` +
        `${turnStartToken}assistant\nHello!${turnEndToken}\n` +
        `${turnStartToken}user\nBye${turnEndToken}\n` +
        `${turnStartToken}assistant\n`;

      const jinja = new JinjaTemplateChatWrapper({ template: template ?? "" });
      const { contextText } = jinja.generateContextState({ chatHistory });
      const tokens = contextText.tokenize(model.tokenizer);
      expect(model.detokenize(tokens, true)).toBe(`<|begin_of_text|>${expected}`);
      expect(tokens[0]).toBe(vocabulary.bosTokenId);
      expect(tokens.filter((token) => token === vocabulary.bosTokenId)).toHaveLength(1);
      expect(tokens.filter((token) => token === tokenId(turnStartToken))).toHaveLength(5);
      expect(tokens.filter((token) => token === tokenId(turnEndToken))).toHaveLength(4);

      // node-llama-cpp's own resolution from the model file lands on an equivalent format.
      const resolved = resolveChatWrapper(model);
      expect(resolved.generateContextState({ chatHistory }).contextText.tokenize(model.tokenizer)).toEqual(
        tokens,
      );

      const context = await model.createContext({ contextSize: 512, threads: 1 });
      try {
        // A short system prompt: the default one is ~300 tokens with a vocabulary of mostly single bytes.
        const session = new LlamaChatSession({
          contextSequence: context.getSequence(),
          chatWrapper: jinja,
          systemPrompt: "Be brief.",
        });
        const answer = await session.prompt("Hi there", { maxTokens: 8, temperature: 0 });
        expect(typeof answer).toBe("string");
      } finally {
        await context.dispose();
      }
    });
  });
});

/** node-llama-cpp nests "a.b.c" keys as objects; arrays and scalars are the leaves. */
function flatten(value: unknown, prefix = "", into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      flatten(child, prefix === "" ? key : `${prefix}.${key}`, into);
  } else {
    into[prefix] = value;
  }
  return into;
}
