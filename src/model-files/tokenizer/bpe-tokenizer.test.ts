import { beforeAll, describe, expect, it } from "vitest";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import type { BpeVocabulary } from "./bpe-vocabulary.js";
import { TokenType } from "./bpe-vocabulary.js";
import { byteToUnicode } from "./byte-to-unicode.js";
import { englishCorpusTexts, limitTexts } from "./corpus-texts.js";
import { nonAsciiSamples, punctuationSamples, whitespaceSamples } from "./tokenizer-test-samples.js";
import { trainBpeTokenizer } from "./train-bpe-tokenizer.js";

const specialTokens = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>"];

describe("BpeTokenizer", () => {
  let vocabulary: BpeVocabulary;
  let tokenizer: BpeTokenizer;
  let corpusSample: string[];

  beforeAll(async () => {
    corpusSample = [...limitTexts(englishCorpusTexts(), 1_000_000)];
    vocabulary = await trainBpeTokenizer({
      texts: [...corpusSample, ...nonAsciiSamples, ...nonAsciiSamples],
      vocabularySize: 3000,
      specialTokens,
      bosToken: "<|begin_of_text|>",
      eosToken: "<|end_of_text|>",
    });
    tokenizer = new BpeTokenizer(vocabulary);
  });

  it("round-trips a corpus sample byte for byte", () => {
    const sample = corpusSample.slice(0, 40).join("\n");
    const ids = tokenizer.encode(sample);
    // Merges must actually compress English text, not fall back to bytes.
    expect(ids.length).toBeLessThan(Buffer.byteLength(sample) / 2.5);
    expect(tokenizer.decode(ids)).toBe(sample);
  });

  it.each([...nonAsciiSamples, ...whitespaceSamples, ...punctuationSamples])("round-trips %j", (text) => {
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it("joins multi-byte characters split across tokens", () => {
    const text = "👨‍👩‍👧‍👦 한국어";
    const ids = tokenizer.encode(text);
    const pieces = ids.map((id) => tokenizer.decode([id]));
    expect(pieces.join("")).not.toBe(text);
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it("encodes frequent words as single tokens", () => {
    const ids = tokenizer.encode(" the");
    expect(ids).toHaveLength(1);
    expect(vocabulary.tokens[ids[0] ?? -1]).toBe("Ġthe");
  });

  it("adds BOS only when asked", () => {
    expect(tokenizer.encode("hi")[0]).not.toBe(vocabulary.bosTokenId);
    expect(tokenizer.encode("hi", { addBos: true })).toEqual([
      vocabulary.bosTokenId,
      ...tokenizer.encode("hi"),
    ]);
  });

  it("parses control tokens only when asked", () => {
    const eot = vocabulary.tokens.indexOf("<|eot_id|>");
    const text = "Hello<|eot_id|><|start_header_id|>user";
    const parsed = tokenizer.encode(text, { parseSpecialTokens: true });
    expect(parsed).toEqual([
      ...tokenizer.encode("Hello"),
      eot,
      vocabulary.tokens.indexOf("<|start_header_id|>"),
      ...tokenizer.encode("user"),
    ]);
    const plain = tokenizer.encode(text);
    expect(plain).not.toContain(eot);
    expect(tokenizer.decode(plain)).toBe(text);
    expect(tokenizer.decode(parsed)).toBe(text);
    expect(tokenizer.decode(parsed, { skipSpecialTokens: true })).toBe("Hellouser");
  });

  it("gives the same ids with a cold and a warm word cache", () => {
    const text = corpusSample.slice(40, 60).join("\n");
    const first = tokenizer.encode(text);
    expect(new BpeTokenizer(vocabulary).encode(text)).toEqual(first);
    expect(tokenizer.encode(text)).toEqual(first);
  });

  it("rejects unknown token ids and other pre-tokenizers", () => {
    expect(() => tokenizer.decode([vocabulary.tokens.length])).toThrow(RangeError);
    expect(() => new BpeTokenizer({ ...vocabulary, preTokenizer: "llama-bpe" })).toThrow(/gpt-2/);
  });
});

describe("BpeTokenizer on hand-made vocabularies (llama.cpp's merge order)", () => {
  function vocabularyWith(extraTokens: string[], merges: string[]): BpeVocabulary {
    const tokens = [...byteToUnicode, ...extraTokens, "<s>"];
    return {
      tokens,
      tokenTypes: tokens.map((_, id) => (id === tokens.length - 1 ? TokenType.control : TokenType.normal)),
      merges,
      bosTokenId: tokens.length - 1,
      eosTokenId: tokens.length - 1,
      preTokenizer: "gpt-2",
      addBosToken: true,
    };
  }
  const idOf = (vocabulary: BpeVocabulary, text: string): number => vocabulary.tokens.indexOf(text);

  it("merges the lowest rank first and the leftmost pair on equal ranks", () => {
    const vocabulary = vocabularyWith(["aa", "aaa"], ["a a", "aa a"]);
    const tokenizer = new BpeTokenizer(vocabulary);
    // "aaa": both "a a" pairs have rank 0; the left one merges, then "aa a".
    expect(tokenizer.encode("aaa")).toEqual([idOf(vocabulary, "aaa")]);
    // "aaaa": both rank-0 merges happen before the rank-1 one can.
    expect(tokenizer.encode("aaaa")).toEqual([idOf(vocabulary, "aa"), idOf(vocabulary, "aa")]);
  });

  it("falls back to single-byte tokens when a merge result is not a token", () => {
    const vocabulary = vocabularyWith([], ["x y"]);
    expect(new BpeTokenizer(vocabulary).encode("xy")).toEqual([idOf(vocabulary, "x"), idOf(vocabulary, "y")]);
  });

  it("lets a later duplicate token text win, as llama.cpp's text → id map does", () => {
    const vocabulary = vocabularyWith(["ab", "ab"], ["a b"]);
    expect(new BpeTokenizer(vocabulary).encode("ab")).toEqual([257]);
  });
});
