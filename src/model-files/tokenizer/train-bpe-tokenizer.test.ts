import { describe, expect, it } from "vitest";
import { TokenType } from "./bpe-vocabulary.js";
import { byteToUnicode } from "./byte-to-unicode.js";
import { englishCorpusTexts, limitTexts } from "./corpus-texts.js";
import { trainBpeTokenizer } from "./train-bpe-tokenizer.js";

const special = { specialTokens: ["<|eot_id|>"], bosToken: "<|begin_of_text|>", eosToken: "<|end_of_text|>" };

describe("trainBpeTokenizer", () => {
  it("lays out byte tokens, learned tokens, then control tokens", async () => {
    const texts = [...limitTexts(englishCorpusTexts(), 200_000)];
    const vocabulary = await trainBpeTokenizer({
      texts,
      vocabularySize: 1000,
      ...special,
      paddingToken: "<pad>",
    });
    expect(vocabulary.tokens).toHaveLength(1000);
    expect(vocabulary.tokenTypes).toHaveLength(1000);
    expect(new Set(vocabulary.tokens.slice(0, 256))).toEqual(new Set(byteToUnicode));
    expect(vocabulary.tokens[0]).toBe("!");
    expect(vocabulary.tokens.slice(-4)).toEqual([
      "<|eot_id|>",
      "<|begin_of_text|>",
      "<|end_of_text|>",
      "<pad>",
    ]);
    expect(vocabulary.tokenTypes.slice(0, 996).every((type) => type === TokenType.normal)).toBe(true);
    expect(vocabulary.tokenTypes.slice(996).every((type) => type === TokenType.control)).toBe(true);
    expect(vocabulary).toMatchObject({
      bosTokenId: 997,
      eosTokenId: 998,
      paddingTokenId: 999,
      preTokenizer: "gpt-2",
      addBosToken: true,
    });
    expect(vocabulary.merges).toHaveLength(996 - 256);
    // Every merge joins two existing tokens into a token of the vocabulary.
    const known = new Set(vocabulary.tokens);
    for (const merge of vocabulary.merges) {
      const [left, right, ...rest] = merge.split(" ");
      expect(rest).toEqual([]);
      expect(known.has(left ?? "") && known.has(right ?? "") && known.has(`${left}${right}`)).toBe(true);
    }
    expect(vocabulary.merges[0]).toMatch(/^(Ġ [a-zĠ]|[a-z] [a-z])$/u);
  });

  it("does not depend on the order of the texts and accepts async iterables", async () => {
    const texts = [...limitTexts(englishCorpusTexts(), 100_000)];
    const forward = await trainBpeTokenizer({ texts, vocabularySize: 600, ...special });
    async function* reversed(): AsyncGenerator<string> {
      for (const text of [...texts].reverse()) yield text;
    }
    const backward = await trainBpeTokenizer({ texts: reversed(), vocabularySize: 600, ...special });
    expect(backward.merges).toEqual(forward.merges);
    expect(backward.tokens).toEqual(forward.tokens);
  });

  it("breaks count ties by the pair's text", async () => {
    const vocabulary = await trainBpeTokenizer({ texts: ["xy ab xy ab"], vocabularySize: 260, ...special });
    expect(vocabulary.merges).toEqual(["a b"]);
  });

  it("never learns a token spelled like a special token", async () => {
    const vocabulary = await trainBpeTokenizer({
      texts: ["!!! ".repeat(1000)],
      vocabularySize: 300,
      specialTokens: ["!!!"],
      bosToken: "!!!",
      eosToken: "!!!",
    });
    expect(vocabulary.tokens.filter((token) => token === "!!!")).toHaveLength(1);
    expect(vocabulary.tokenTypes[vocabulary.tokens.indexOf("!!!")]).toBe(TokenType.control);
  });

  it("stops early when no pair reaches the minimum frequency", async () => {
    const vocabulary = await trainBpeTokenizer({
      texts: ["abc abd"],
      vocabularySize: 1000,
      ...special,
      minimumPairFrequency: 2,
    });
    expect(vocabulary.merges).toEqual(["a b"]);
    expect(vocabulary.tokens).toHaveLength(256 + 1 + 3);
  });

  it("rejects a vocabulary too small for the byte and special tokens", async () => {
    await expect(trainBpeTokenizer({ texts: ["x"], vocabularySize: 258, ...special })).rejects.toThrow(
      RangeError,
    );
    await expect(
      trainBpeTokenizer({ texts: ["x"], vocabularySize: 300, ...special, specialTokens: ["a"] }),
    ).rejects.toThrow(/byte token/);
  });

  it("trains an 8k vocabulary on about 5 MB quickly", async () => {
    const texts = [...limitTexts(englishCorpusTexts(), 5_000_000)];
    const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
    const started = performance.now();
    const vocabulary = await trainBpeTokenizer({ texts, vocabularySize: 8192, ...special });
    const seconds = (performance.now() - started) / 1000;
    console.log(`trained 8192 tokens on ${megabytes.toFixed(2)} MB in ${seconds.toFixed(2)} s`);
    expect(megabytes).toBeGreaterThan(4.5);
    expect(vocabulary.tokens).toHaveLength(8192);
    expect(seconds).toBeLessThan(30);
  });
});
