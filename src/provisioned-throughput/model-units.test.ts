import { describe, expect, it } from "vitest";
import { modelUnitFrom } from "./model-units.js";

describe("modelUnitFrom", () => {
  it("is one batched sequence's share of a core's aggregate decode, in tokens per minute", () => {
    const measurement = {
      threads: 1,
      sequences: 4,
      perSequenceTokensPerSecond: 300,
      aggregateTokensPerSecond: 800,
    };
    expect(modelUnitFrom(measurement, 4)).toBe(12_000);
    expect(modelUnitFrom(measurement, 2)).toBe(24_000);
  });
  it("never promises less than one token per minute", () => {
    expect(
      modelUnitFrom(
        { threads: 1, sequences: 4, perSequenceTokensPerSecond: 0, aggregateTokensPerSecond: 0 },
        4,
      ),
    ).toBe(1);
  });
});
