import { describe, expect, it } from "vitest";
import { admit, checkQuota, pruneQuotaEvents } from "./admission-policy.js";

describe("admit", () => {
  const limits = { sequences: 2, queueLength: 2 };
  it("runs while a sequence is free and nobody waits", () => {
    expect(admit({ running: 1, waiting: 0 }, limits)).toEqual({ kind: "run" });
  });
  it("queues in arrival order behind those already waiting (no overtaking a waiter)", () => {
    expect(admit({ running: 2, waiting: 0 }, limits)).toEqual({ kind: "wait", position: 1 });
    expect(admit({ running: 1, waiting: 1 }, limits)).toEqual({ kind: "wait", position: 2 });
  });
  it("throttles once the bounded queue is full", () => {
    expect(admit({ running: 2, waiting: 2 }, limits)).toEqual({ kind: "throttle" });
    expect(admit({ running: 0, waiting: 0 }, { sequences: 0, queueLength: 0 })).toEqual({ kind: "throttle" });
  });
});

describe("checkQuota", () => {
  const now = 1_000_000;
  it("allows under both quotas and when none is set", () => {
    expect(
      checkQuota([{ at: now - 1000, tokens: 10 }], now, { requestsPerMinute: 2, tokensPerMinute: 100 }),
    ).toEqual({ kind: "allow" });
    expect(checkQuota(Array(1000).fill({ at: now, tokens: 1000 }), now, {})).toEqual({ kind: "allow" });
  });
  it("throttles on requests per minute, with the time until the oldest leaves the window", () => {
    const decision = checkQuota(
      [
        { at: now - 50_000, tokens: 0 },
        { at: now - 1000, tokens: 0 },
      ],
      now,
      { requestsPerMinute: 2 },
    );
    expect(decision).toMatchObject({ kind: "throttle", retryAfterMs: 10_000 });
    if (decision.kind === "throttle") expect(decision.message).toContain("2 requests per minute");
  });
  it("throttles on tokens per minute and forgets events older than a minute", () => {
    const events = [
      { at: now - 70_000, tokens: 500 },
      { at: now - 5000, tokens: 60 },
    ];
    expect(checkQuota(events, now, { tokensPerMinute: 100 })).toEqual({ kind: "allow" });
    expect(checkQuota([...events, { at: now, tokens: 40 }], now, { tokensPerMinute: 100 }).kind).toBe(
      "throttle",
    );
    expect(pruneQuotaEvents(events, now)).toEqual([{ at: now - 5000, tokens: 60 }]);
  });
});
