import { describe, expect, it } from "vitest";
import { parseHyperParameters } from "./parse-hyperparameters.js";

describe("parseHyperParameters", () => {
  it("fills every default, LoRA by default, with the sequence length bounded by the context", () => {
    const parsed = parseHyperParameters(undefined, 256);
    expect(parsed).toEqual({
      ok: true,
      values: {
        epochCount: 2,
        batchSize: 8,
        learningRate: 1e-4,
        learningRateWarmupSteps: 0,
        trainingMethod: "lora",
        loraRank: 8,
        loraAlpha: 16,
        maxSequenceLength: 256,
        evaluationInterval: 0,
        earlyStoppingPatience: 0,
      },
      effective: expect.objectContaining({
        epochCount: "2",
        learningRate: "0.0001",
        maxSequenceLength: "256",
      }),
    });
    expect(parseHyperParameters({}, 4096)).toMatchObject({ values: { maxSequenceLength: 1024 } });
  });

  it("uses the full fine-tuning learning rate when trainingMethod is full", () => {
    expect(parseHyperParameters({ trainingMethod: "full" }, 512)).toMatchObject({
      ok: true,
      values: { trainingMethod: "full", learningRate: 2e-5 },
    });
  });

  it("parses strings, including exponents", () => {
    expect(
      parseHyperParameters({ epochCount: "3", learningRate: "5e-3", batchSize: " 4 ", loraRank: "16" }, 512),
    ).toMatchObject({ ok: true, values: { epochCount: 3, learningRate: 0.005, batchSize: 4, loraRank: 16 } });
  });

  it.each([
    [{ epochCount: "0" }, "hyperParameters.epochCount must be in 1–10, but it is 0."],
    [{ epochCount: "11" }, "hyperParameters.epochCount must be in 1–10, but it is 11."],
    [
      { epochCount: "2.5" },
      'hyperParameters.epochCount must be an integer in 1–10 (as a string), but it is "2.5".',
    ],
    [{ batchSize: "65" }, "hyperParameters.batchSize must be in 1–64, but it is 65."],
    [{ learningRate: "0.1" }, "hyperParameters.learningRate must be in 0.000001–0.01, but it is 0.1."],
    [
      { learningRate: "fast" },
      'hyperParameters.learningRate must be a number in 0.000001–0.01 (as a string), but it is "fast".',
    ],
    [
      { learningRateWarmupSteps: "1001" },
      "hyperParameters.learningRateWarmupSteps must be in 0–1000, but it is 1001.",
    ],
    [
      { trainingMethod: "qlora" },
      'hyperParameters.trainingMethod must be one of lora, full, but it is "qlora".',
    ],
    [{ loraRank: "257" }, "hyperParameters.loraRank must be in 1–256, but it is 257."],
    [{ loraAlpha: "0" }, "hyperParameters.loraAlpha must be in 1–512, but it is 0."],
    [{ maxSequenceLength: "300" }, "hyperParameters.maxSequenceLength must be in 16–256, but it is 300."],
    [{ maxSequenceLength: "8" }, "hyperParameters.maxSequenceLength must be in 16–256, but it is 8."],
    [{ evaluationInterval: "-1" }, "hyperParameters.evaluationInterval must be in 0–1000000, but it is -1."],
    [
      { earlyStoppingPatience: "" },
      'hyperParameters.earlyStoppingPatience must be an integer in 0–100 (as a string), but it is "".',
    ],
  ])("refuses %j", (input, reason) => {
    expect(parseHyperParameters(input, 256)).toEqual({ ok: false, reason });
  });

  it("refuses unknown keys, naming the known ones", () => {
    const parsed = parseHyperParameters({ epochs: "2" }, 256);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.reason).toMatch(
        /^hyperParameters\.epochs is not a hyperparameter Strata knows; use epochCount, batchSize/,
      );
  });
});
