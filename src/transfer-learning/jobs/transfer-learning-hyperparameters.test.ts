import { describe, expect, it } from "vitest";
import { parseTransferLearningHyperParameters } from "./transfer-learning-hyperparameters.js";

describe("transfer-learning hyperparameters", () => {
  it("fills in the defaults and echoes every effective value as a string", () => {
    const parsed = parseTransferLearningHyperParameters({ headType: "mlp", epochCount: "5" }, 512);
    expect(parsed).toMatchObject({
      ok: true,
      values: { headType: "mlp", epochCount: 5, batchSize: 32, learningRate: 0.001, maxInputTokens: 256 },
    });
    if (parsed.ok) expect(parsed.effective.hiddenUnits).toBe("64");
  });

  it("names the bad value, the range, unknown names and the base model's context limit", () => {
    expect(parseTransferLearningHyperParameters({ learningRate: "0" })).toEqual({
      ok: false,
      reason: 'Hyperparameter learningRate must be a number above 0, at most 1; it was "0".',
    });
    expect(parseTransferLearningHyperParameters({ epochs: "3" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^Unknown transfer-learning hyperparameter\(s\) epochs; the known ones are headType, /,
      ),
    });
    expect(parseTransferLearningHyperParameters({ headType: "svm" })).toMatchObject({ ok: false });
    expect(parseTransferLearningHyperParameters({ maxInputTokens: "512" }, 512)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("at most 509"),
    });
  });
});
