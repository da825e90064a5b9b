// Reference values: scikit-learn's f1_score documentation example — y_true = [0, 1, 2, 0, 1, 2],
// y_pred = [0, 2, 1, 0, 0, 1] gives macro F1 0.26666666666666666 (and accuracy 2/6).
import { describe, expect, it } from "vitest";
import { classificationScores, predictedLabel } from "./classification-metrics.js";

describe("classification scores", () => {
  it("reproduce scikit-learn's macro-F1 example", () => {
    const truth = ["0", "1", "2", "0", "1", "2"];
    const predicted = ["0", "2", "1", "0", "0", "1"];
    const scores = classificationScores(predicted, truth);
    expect(scores.macroF1).toBeCloseTo(0.26666666666666666, 15);
    expect(scores.accuracy).toBeCloseTo(2 / 6, 15);
    expect(scores.perLabel["0"]).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
  });

  it("counts an answer that names no label as wrong, without a class of its own", () => {
    const scores = classificationScores([undefined, "spam"], ["ham", "spam"]);
    expect(scores.accuracy).toBe(0.5);
    // ham: P = 0 (never predicted), R = 0 → F1 0; spam: P = 1, R = 1 → F1 1; macro = 0.5.
    expect(scores.macroF1).toBe(0.5);
  });
});

describe("reading a label from an answer", () => {
  const labels = ["positive", "negative", "not spam", "spam"];

  it("takes the exact label, else the earliest label mentioned, the longer one at the same place", () => {
    expect(predictedLabel("Positive.", labels)).toBe("positive");
    expect(predictedLabel("I think it is negative, not positive", labels)).toBe("negative");
    expect(predictedLabel("not spam", labels)).toBe("not spam");
    expect(predictedLabel("This is not spam at all", labels)).toBe("not spam");
    expect(predictedLabel("no idea", labels)).toBeUndefined();
  });
});
