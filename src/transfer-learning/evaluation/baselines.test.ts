import { describe, expect, it } from "vitest";
import { bagOfWordsRow, buildVocabulary, wordsOf } from "./bag-of-words.js";
import { labelContinuation, mostLikelyLabel, zeroShotPrompt } from "./zero-shot.js";

describe("bag of words", () => {
  const texts = ["Win money now!", "win a prize, WIN money", "Meeting notes for Monday", "notes: money"];
  const vocabulary = buildVocabulary(texts);

  it("keeps the words of at least two texts, the most widespread first, ties alphabetically", () => {
    expect(wordsOf("Don't WIN 100€")).toEqual(["don", "t", "win", "100"]);
    expect([...vocabulary.words.keys()]).toEqual(["money", "notes", "win"]);
  });

  it("turns a text into unit-length log counts over the vocabulary", () => {
    const row = bagOfWordsRow("win WIN win money unknown", vocabulary);
    expect([...(row.indices ?? [])]).toEqual([0, 2]);
    const [money, win] = [Math.log1p(1), Math.log1p(3)];
    const norm = Math.hypot(money, win);
    expect(row.values[0]).toBeCloseTo(money / norm, 12);
    expect(row.values[1]).toBeCloseTo(win / norm, 12);
    expect(bagOfWordsRow("nothing known", vocabulary).values).toHaveLength(0);
  });
});

describe("zero-shot by label likelihood", () => {
  it("asks for one of the labels, and scores each after a space", () => {
    expect(zeroShotPrompt(["ham", "spam"], "Hello")).toBe(
      "Classify the text. Answer with one of these labels: ham, spam.\n\nText: Hello\n\nLabel:",
    );
    expect(labelContinuation("not spam")).toBe(" not spam");
  });

  it("predicts the label of lowest negative log-likelihood", () => {
    expect(mostLikelyLabel(["ham", "spam"], { ham: 12.5, spam: 9.25 })).toBe("spam");
    expect(mostLikelyLabel(["ham", "spam", "eggs"], { ham: 3, spam: 7, eggs: 3.0001 })).toBe("ham");
  });

  it("breaks a tie by the label order, not by the order of the scores", () => {
    expect(mostLikelyLabel(["spam", "ham"], { ham: 4, spam: 4 })).toBe("spam");
    expect(mostLikelyLabel(["ham", "spam"], { spam: 4, ham: 4 })).toBe("ham");
    expect(mostLikelyLabel(["a", "b", "c"], { a: 5, b: 2, c: 2 })).toBe("b");
  });

  it("never picks a label scored NaN; one of probability 0 (+Infinity) only loses", () => {
    expect(mostLikelyLabel(["ham", "spam"], { ham: Number.NaN, spam: 40 })).toBe("spam");
    expect(mostLikelyLabel(["ham", "spam"], { ham: Number.POSITIVE_INFINITY, spam: 40 })).toBe("spam");
    expect(mostLikelyLabel(["ham", "spam"], { ham: Number.POSITIVE_INFINITY, spam: Number.NaN })).toBe("ham");
    expect(() => mostLikelyLabel(["ham", "spam"], { ham: Number.NaN })).toThrow(/no.*likelihood/);
  });
});
