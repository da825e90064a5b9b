import { describe, expect, it } from "vitest";
import { bagOfWordsRow, buildVocabulary, wordsOf } from "./bag-of-words.js";
import { parseZeroShotAnswer, zeroShotPrompt } from "./zero-shot.js";

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

describe("zero-shot answers", () => {
  const labels = ["ham", "spam", "not spam"];

  it("asks for one of the labels", () => {
    expect(zeroShotPrompt(["ham", "spam"], "Hello")).toBe(
      "Classify the text. Answer with one of these labels: ham, spam.\n\nText: Hello\n\nLabel:",
    );
  });

  it("reads the first label named as a whole word, in any case; the longer one when both start there", () => {
    expect(parseZeroShotAnswer(labels, " Spam.\nText: ham")).toBe("spam");
    expect(parseZeroShotAnswer(labels, " it is not spam")).toBe("not spam");
    expect(parseZeroShotAnswer(labels, " hamster spammer")).toBeUndefined();
    expect(parseZeroShotAnswer(labels, " the Union")).toBeUndefined();
    expect(parseZeroShotAnswer(["a+b", "c"], "label a+b")).toBe("a+b");
  });
});
