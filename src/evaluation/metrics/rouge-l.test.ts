// Reference values: Lin 2004 ("ROUGE: A Package for Automatic Evaluation of Summaries", §3.1) — with reference
// S1 "police killed the gunman", S2 "police kill the gunman" scores ROUGE-L 3/4 and S3 "the gunman kill police"
// 1/2 — and the rouge-score package's README example, whose rougeL it prints as precision 0.625, recall
// 0.5555555555555556, fmeasure 0.5882352941176471 (with use_stemmer=True; no word of that pair changes the
// LCS when stemmed, so the unstemmed scorer agrees).
import { describe, expect, it } from "vitest";
import { longestCommonSubsequence, rougeL, rougeTokens } from "./rouge-l.js";

describe("ROUGE-L", () => {
  it("scores Lin 2004's S2 and S3 against S1", () => {
    const s1 = "police killed the gunman";
    expect(rougeL("police kill the gunman", s1)).toEqual({ precision: 0.75, recall: 0.75, fmeasure: 0.75 });
    expect(rougeL("the gunman kill police", s1)).toEqual({ precision: 0.5, recall: 0.5, fmeasure: 0.5 });
  });

  it("reproduces rouge-score's README example", () => {
    const score = rougeL(
      "The quick brown dog jumps on the log.",
      "The quick brown fox jumps over the lazy dog",
    );
    expect(score.precision).toBe(0.625);
    expect(score.recall).toBeCloseTo(0.5555555555555556, 15);
    expect(score.fmeasure).toBeCloseTo(0.5882352941176471, 15);
  });

  it("is 0 when either side has no tokens, and 1 for the same text however cased and punctuated", () => {
    expect(rougeL("", "something").fmeasure).toBe(0);
    expect(rougeL("...", "").fmeasure).toBe(0);
    expect(rougeL("The Congress!", "the congress").fmeasure).toBe(1);
  });

  it("tokenises like rouge-score for ASCII text and keeps other letters", () => {
    expect(rougeTokens("It's a well-known 3.14 fact!")).toEqual([
      "it",
      "s",
      "a",
      "well",
      "known",
      "3",
      "14",
      "fact",
    ]);
    expect(rougeTokens("Dès l'été, 모델 평가")).toEqual(["dès", "l", "été", "모델", "평가"]);
  });

  it("finds the longest common subsequence, not substring", () => {
    expect(longestCommonSubsequence(["a", "b", "c", "d"], ["a", "x", "c", "y", "d"])).toBe(3);
    expect(longestCommonSubsequence([], ["a"])).toBe(0);
  });
});
