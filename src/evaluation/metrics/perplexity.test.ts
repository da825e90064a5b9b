import { describe, expect, it } from "vitest";
import { latencyAndCost } from "./latency-and-cost.js";
import { lossAndPerplexity } from "./perplexity.js";

describe("loss and perplexity", () => {
  it("is the perplexity of a uniform guess over V tokens: V", () => {
    // Every token with probability 1/50: loss ln 50 per token, perplexity 50.
    const measured = lossAndPerplexity([{ negativeLogLikelihood: 7 * Math.log(50), tokenCount: 7 }]);
    expect(measured?.loss).toBeCloseTo(Math.log(50), 12);
    expect(measured?.perplexity).toBeCloseTo(50, 10);
  });

  it("averages over all tokens together, as the trainer's validation loss does", () => {
    // 1 token at loss 4 and 3 tokens at loss 0: (4 + 0) / 4 = 1, not the per-example mean 2.
    const measured = lossAndPerplexity([
      { negativeLogLikelihood: 4, tokenCount: 1 },
      { negativeLogLikelihood: 0, tokenCount: 3 },
    ]);
    expect(measured).toEqual({ loss: 1, perplexity: Math.E, tokenCount: 4 });
    expect(lossAndPerplexity([])).toBeUndefined();
  });
});

describe("latency and cost", () => {
  it("reports observed nearest-rank percentiles and sums tokens and cost", () => {
    const measurements = Array.from({ length: 100 }, (_, i) => ({
      latencyMs: 100 - i,
      inputTokens: 10,
      outputTokens: 2,
      costUsd: 0.001,
    }));
    expect(latencyAndCost(measurements)).toEqual({
      latencyP50Ms: 50,
      latencyP99Ms: 99,
      inputTokens: 1000,
      outputTokens: 200,
      costUsd: expect.closeTo(0.1, 12),
    });
    expect(latencyAndCost([])).toBeUndefined();
  });
});
