import { describe, expect, it } from "vitest";
import {
  type ClassificationHead,
  classifyEmbedding,
  headModel,
  parseClassificationHead,
} from "./classification-head.js";

const head: ClassificationHead = {
  format: "strata-classification-head",
  version: 1,
  headType: "logistic-regression",
  labels: ["ham", "spam"],
  features: { baseModelId: "strata.tiny-base-v1", pooling: "mean", dimensions: 2, maxInputTokens: 128 },
  standardization: { mean: [1, 0], scale: [2, 1] },
  // W = [[0, 0], [1, 0]], b = [0, 0]: the logit of spam is the first standardized feature.
  parameters: [0, 0, 1, 0, 0, 0],
};

describe("classification head file", () => {
  it("round-trips through JSON and classifies with the stored standardization", () => {
    const parsed = parseClassificationHead(JSON.stringify(head));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const model = headModel(parsed.head);
    const spam = classifyEmbedding(parsed.head, model, [5, 7]); // standardized (5 − 1) / 2 = 2
    expect(spam.label).toBe("spam");
    expect(spam.probabilities.spam).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect((spam.probabilities.ham ?? 0) + (spam.probabilities.spam ?? 0)).toBeCloseTo(1, 12);
    expect(classifyEmbedding(parsed.head, model, [-3, 0]).label).toBe("ham");
  });

  it("says what is wrong with a damaged file instead of throwing", () => {
    expect(parseClassificationHead("{")).toMatchObject({ ok: false });
    expect(parseClassificationHead(JSON.stringify({ ...head, parameters: [1, 2] }))).toEqual({
      ok: false,
      reason: "parameters must be 6 finite numbers",
    });
    expect(parseClassificationHead(JSON.stringify({ ...head, headType: "mlp" }))).toEqual({
      ok: false,
      reason: "an MLP head needs hiddenUnits",
    });
    expect(parseClassificationHead(JSON.stringify({ ...head, labels: ["only"] }))).toMatchObject({
      ok: false,
    });
  });
});
