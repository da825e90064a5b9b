import { describe, expect, it } from "vitest";
import { judgePrompt, normalizedJudgeScore, parseJudgeScore } from "./judge-answer.js";

describe("the judge", () => {
  it("reads the score after 'Score:', else the first standalone 1–5, else none", () => {
    expect(parseJudgeScore("Score: 4. The answer is mostly right.")).toBe(4);
    expect(parseJudgeScore("**Score:** 2 — it misses the point")).toBe(2);
    expect(parseJudgeScore("In 1900 there were 45 states; I give it 3.")).toBe(3);
    expect(parseJudgeScore("Score: 9")).toBeUndefined();
    expect(parseJudgeScore("It is fine.")).toBeUndefined();
  });

  it("puts 1–5 on the 0–1 scale of the other quality metrics", () => {
    expect([1, 3, 5].map(normalizedJudgeScore)).toEqual([0, 0.5, 1]);
  });

  it("gives the judge the rubric, the prompt, the reference when there is one, and the answer", () => {
    const prompt = judgePrompt({
      rubric: "Is it right?",
      prompt: "Who declares war?",
      reference: "Congress",
      answer: "The King",
    });
    expect(prompt).toContain("Rubric: Is it right?");
    expect(prompt).toContain("Reference answer: Congress");
    expect(prompt).toContain("Answer to grade: The King");
    expect(judgePrompt({ rubric: "r", prompt: "p", answer: "a" })).not.toContain("Reference answer");
  });
});
