import { describe, expect, it } from "vitest";
import { englishCorpusTexts, limitTexts } from "./corpus-texts.js";
import { preTokenize, preTokenizerName } from "./pre-tokenize.js";
import { nonAsciiSamples, punctuationSamples, whitespaceSamples } from "./tokenizer-test-samples.js";

describe("preTokenize (llama.cpp's gpt-2 pre-tokenizer)", () => {
  it("is the pre-tokenizer named gpt-2", () => {
    expect(preTokenizerName).toBe("gpt-2");
  });

  it.each([
    ["Hello world", ["Hello", " world"]],
    ["it's they've I'm we'll he'd", ["it", "'s", " they", "'ve", " I", "'m", " we", "'ll", " he", "'d"]],
    // Contractions are lowercase only in the GPT-2 regex.
    ["IT'S", ["IT", "'", "S"]],
    ["a  b", ["a", " ", " b"]],
    ["x   ", ["x", "   "]],
    ["x\n\ny", ["x", "\n", "\n", "y"]],
    [" 2024!? ok", [" 2024", "!?", " ok"]],
    ["abc123def", ["abc", "123", "def"]],
    [" (x)", [" (", "x", ")"]],
    ["e\u0301t\u00e9", ["e", "\u0301", "t\u00e9"]],
  ])("splits %j as llama.cpp does", (text, words) => {
    expect(preTokenize(text)).toEqual(words);
  });

  it("uses llama.cpp's whitespace set, not JavaScript's", () => {
    // U+0085 is whitespace for llama.cpp (not for JavaScript's \s); U+FEFF is the other way round.
    expect(preTokenize("a\u0085\u0085b")).toEqual(["a", "\u0085", "\u0085", "b"]);
    expect(preTokenize("!\u0085")).toEqual(["!", "\u0085"]);
    expect(preTokenize("!\ufeff")).toEqual(["!\ufeff"]);
  });

  it("treats letters and numbers newer than llama.cpp's Unicode 15.1 tables as punctuation", () => {
    expect(preTokenize("a\u{105C0}b")).toEqual(["a", "\u{105C0}", "b"]);
    expect(preTokenize("1\u{10D40}")).toEqual(["1", "\u{10D40}"]);
    expect(preTokenize(" \u{105C0}.")).toEqual([" \u{105C0}."]);
  });

  it("covers the text without gaps", () => {
    const samples = [
      ...nonAsciiSamples,
      ...whitespaceSamples,
      ...punctuationSamples,
      ...limitTexts(englishCorpusTexts(), 300_000),
    ];
    for (const text of samples) expect(preTokenize(text).join("")).toBe(text);
  });
});
