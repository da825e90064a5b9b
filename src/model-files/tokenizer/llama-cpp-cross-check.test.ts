// The proof that our tokenizer is llama.cpp's: train a vocabulary, write it into a real GGUF model with
// createLlamaModel, load that with node-llama-cpp and compare token ids. A mismatch means our pre-tokenizer or
// merge order differs from llama.cpp's.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { getLlama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlamaModel } from "../create-model/create-llama-model.js";
import { reservedControlTokens } from "../create-model/default-chat-template.js";
import { tinyLlamaDimensions } from "../create-model/llama-model-spec.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import type { BpeVocabulary } from "./bpe-vocabulary.js";
import {
  corpusPackagesInstalled,
  englishCorpusTexts,
  limitTexts,
  mobyDickTexts,
  stateOfTheUnionTexts,
} from "./corpus-texts.js";
import { nonAsciiSamples, punctuationSamples, whitespaceSamples } from "./tokenizer-test-samples.js";
import { trainBpeTokenizer } from "./train-bpe-tokenizer.js";

const installed = corpusPackagesInstalled();

/** Training text: 19th-century speeches and Moby-Dick; the comparisons use 20th-century speeches. */
function trainingTexts(): string[] {
  if (!installed.stateOfTheUnion) return [...limitTexts(englishCorpusTexts(), 3_000_000)];
  const texts = [...stateOfTheUnionTexts({ before: 1900 })];
  if (installed.mobyDick) texts.push(...mobyDickTexts());
  return texts;
}

function comparisonTexts(): string[] {
  return installed.stateOfTheUnion
    ? [...stateOfTheUnionTexts({ from: 1900, to: 1999 })]
    : [...limitTexts(englishCorpusTexts(), 6_000_000)].slice(-200);
}

/**
 * Several hundred lines the vocabulary was not trained on, spread over the century. The speeches are stored
 * one paragraph-less text each, so a "line" is a sentence (or a line where the text has newlines).
 */
function comparisonLines(count: number): string[] {
  const lines = comparisonTexts()
    .flatMap((text) => text.split(/\n|(?<=[.!?])\s+/u))
    .filter((line) => line.trim().length > 0);
  const step = Math.max(1, Math.floor(lines.length / count));
  return lines.filter((_, index) => index % step === 0).slice(0, count);
}

/** Strings spread over the whole code point range, between letters, digits, spaces and punctuation. */
function codePointSweep(): string[] {
  const strings: string[] = [];
  let current = "";
  const separators = ["a", " ", "1", ".", "  ", "'s", "\n"];
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 211) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    current += String.fromCodePoint(codePoint) + (separators[codePoint % separators.length] ?? "");
    if (current.length >= 80) {
      strings.push(current);
      current = "";
    }
  }
  strings.push(current);
  return strings;
}

describe("BpeTokenizer against llama.cpp (node-llama-cpp) on a GGUF with the same vocabulary", () => {
  let directory: string;
  let llama: Llama;
  let model: LlamaModel;
  let vocabulary: BpeVocabulary;
  let tokenizer: BpeTokenizer;

  beforeAll(async () => {
    vocabulary = await trainBpeTokenizer({
      // The non-ASCII samples twice, so that some multi-byte merges are learned and exercised.
      texts: [...trainingTexts(), ...nonAsciiSamples, ...nonAsciiSamples],
      vocabularySize: tinyLlamaDimensions.vocabularySize,
      specialTokens: [...reservedControlTokens],
      bosToken: reservedControlTokens[0],
      eosToken: reservedControlTokens[1],
    });
    tokenizer = new BpeTokenizer(vocabulary);
    directory = mkdtempSync(join(tmpdir(), "strata-tokenizer-"));
    const created = await createLlamaModel({
      path: join(directory, "tokenizer-check.gguf"),
      name: "tokenizer cross-check",
      dimensions: { ...tinyLlamaDimensions, vocabularySize: vocabulary.tokens.length },
      vocabulary,
      seed: 1,
      tensorType: "Q8_0",
    });
    llama = await getLlama({ build: "never", gpu: false });
    model = await llama.loadModel({ modelPath: created.path });
  });

  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("loads our vocabulary with the same special tokens", () => {
    expect(vocabulary.tokens).toHaveLength(tinyLlamaDimensions.vocabularySize);
    expect(model.tokens.bos).toBe(vocabulary.bosTokenId);
    expect(model.tokens.eos).toBe(vocabulary.eosTokenId);
    expect(model.tokens.shouldPrependBosToken).toBe(true);
  });

  it("agrees on several hundred lines of text it was not trained on", () => {
    const lines = comparisonLines(400);
    expect(lines.length).toBeGreaterThanOrEqual(300);
    for (const line of lines)
      expect({ line, ids: tokenizer.encode(line) }).toEqual({ line, ids: model.tokenize(line) });
    const block = lines.slice(0, 50).join("\n");
    expect(tokenizer.encode(block)).toEqual(model.tokenize(block));
  });

  it("agrees on whole speeches", () => {
    for (const text of comparisonTexts().slice(0, 5))
      expect(tokenizer.encode(text)).toEqual(model.tokenize(text));
  });

  it.each([...nonAsciiSamples, ...whitespaceSamples, ...punctuationSamples])("agrees on %j", (text) => {
    expect(tokenizer.encode(text)).toEqual(model.tokenize(text));
  });

  it("agrees across the whole code point range", () => {
    for (const text of codePointSweep())
      expect({ text, ids: tokenizer.encode(text) }).toEqual({ text, ids: model.tokenize(text) });
  });

  it("agrees on lone surrogates, which both sides turn into U+FFFD", () => {
    for (const text of ["a\ud800b", "\udc00 end", "x \ud83d", "\ud83d\ud83d\ude00"]) {
      expect(tokenizer.encode(text)).toEqual(model.tokenize(text));
    }
  });

  it("agrees with and without BOS", () => {
    for (const text of comparisonLines(50)) {
      expect(tokenizer.encode(text, { addBos: false })).toEqual(model.tokenize(text));
      expect(tokenizer.encode(text, { addBos: true })).toEqual([model.tokens.bos, ...model.tokenize(text)]);
    }
  });

  it("agrees on control tokens, parsed and unparsed", () => {
    const [begin, , turnStart, turnEnd] = reservedControlTokens;
    const text = `${begin}${turnStart}user\nHello, how are you?${turnEnd}\n${turnStart}assistant\n`;
    const parsed = tokenizer.encode(text, { parseSpecialTokens: true });
    expect(parsed).toEqual(model.tokenize(text, true));
    expect(parsed[0]).toBe(vocabulary.bosTokenId);
    expect(tokenizer.encode(text)).toEqual(model.tokenize(text, false));
  });
});
