// The SQuAD v2.0 evaluation script's rules (evaluate-v2.0.py: normalize_answer, compute_exact, compute_f1),
// checked on hand-counted cases.
import { describe, expect, it } from "vitest";
import { exactMatch } from "./exact-match.js";
import { answerTokens, normalizeAnswer } from "./normalize-answer.js";
import { tokenF1 } from "./token-f1.js";

describe("SQuAD answer normalisation", () => {
  it("lower-cases, drops punctuation and articles, collapses whitespace", () => {
    expect(normalizeAnswer("  The  Congress, of the United-States! ")).toBe("congress of unitedstates");
    expect(answerTokens("An apple a day.")).toEqual(["apple", "day"]);
    expect(answerTokens("the a an")).toEqual([]);
  });
});

describe("exact match", () => {
  it("compares normalised answers", () => {
    expect(exactMatch("The Congress.", "congress")).toBe(1);
    expect(exactMatch("George Washington", "Washington")).toBe(0);
    expect(exactMatch("", "")).toBe(1);
  });
});

describe("token F1", () => {
  it("is the harmonic mean of token precision and recall", () => {
    // Prediction tokens [cat, sat], reference [cat, sat, on, mat]: P = 1, R = 1/2, F1 = 2/3.
    expect(tokenF1("The cat sat.", "A cat sat on the mat")).toBeCloseTo(2 / 3, 15);
    // [president] against [george, washington]: nothing shared.
    expect(tokenF1("The President.", "George Washington")).toBe(0);
  });

  it("counts a repeated token only as often as the reference has it", () => {
    // [cat, cat, cat] against [cat]: 1 shared, P = 1/3, R = 1, F1 = 1/2.
    expect(tokenF1("cat cat cat", "cat")).toBeCloseTo(0.5, 15);
    // [cat, cat] against [cat, cat, dog]: 2 shared, P = 1, R = 2/3, F1 = 0.8.
    expect(tokenF1("cat cat", "cat cat dog")).toBeCloseTo(0.8, 15);
  });

  it("scores empty answers as SQuAD does: 1 if both are empty, else 0", () => {
    expect(tokenF1("the", "a")).toBe(1);
    expect(tokenF1("", "George Washington")).toBe(0);
    expect(tokenF1("George", "")).toBe(0);
  });
});
