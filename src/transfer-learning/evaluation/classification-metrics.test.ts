import { describe, expect, it } from "vitest";
import { classificationReport, formatConfusionMatrix, noAnswer } from "./classification-metrics.js";

describe("classificationReport", () => {
  // Worked by hand (and what scikit-learn's f1_score(average="macro", zero_division=0) gives on these labels).
  const truth = ["a", "a", "a", "b", "b", "c", "c", "c", "c"];
  const predicted = ["a", "b", "a", "b", "c", "c", "c", "a", undefined];
  const report = classificationReport(["a", "b", "c"], truth, predicted);

  it("counts a confusion matrix with true labels as rows and a no-answer column", () => {
    expect(report.predictedLabels).toEqual(["a", "b", "c", noAnswer]);
    expect(report.confusionMatrix).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 1],
    ]);
    expect(report.unanswered).toBe(1);
  });

  it("computes accuracy, per-class precision / recall / F1 and macro-F1", () => {
    expect(report.accuracy).toBeCloseTo(5 / 9, 12);
    const [a, b, c] = report.perClass;
    expect([a?.precision, a?.recall, a?.f1, a?.support]).toEqual([2 / 3, 2 / 3, 2 / 3, 3]);
    expect([b?.precision, b?.recall, b?.f1, b?.support]).toEqual([0.5, 0.5, 0.5, 2]);
    expect(c?.precision).toBeCloseTo(2 / 3, 12);
    expect(c?.recall).toBe(0.5);
    expect(c?.f1).toBeCloseTo(4 / 7, 12);
    expect(report.macroF1).toBeCloseTo(73 / 126, 12);
  });

  it("gives a class that is never predicted precision 0, so ignoring a class costs macro-F1", () => {
    const always = classificationReport(
      ["ham", "spam"],
      ["ham", "ham", "ham", "spam"],
      ["ham", "ham", "ham", "ham"],
    );
    expect(always.accuracy).toBe(0.75);
    expect(always.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(always.macroF1).toBeCloseTo((2 * 0.75) / 1.75 / 2, 12);
    expect(always.predictedLabels).toEqual(["ham", "spam"]);
  });

  it("refuses true labels outside the label set", () => {
    expect(() => classificationReport(["a"], ["z"], ["a"])).toThrow(/not one of the labels/);
  });

  it("prints the matrix aligned", () => {
    expect(formatConfusionMatrix(report).split("\n")).toEqual([
      "true \\ predicted  a  b  c  (no answer)",
      "a                 2  1  0            0",
      "b                 0  1  1            0",
      "c                 1  0  2            1",
    ]);
  });
});
