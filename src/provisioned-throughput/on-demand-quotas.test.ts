import { describe, expect, it } from "vitest";
import type { InvocationRecord } from "../usage/invocation-record.js";
import { OnDemandQuotas } from "./on-demand-quotas.js";

function invocation(requestId: string, tokens: number): InvocationRecord {
  return {
    requestId,
    requestedModelId: "local.m",
    modelId: "local.m",
    servedBy: "LOCAL_ENGINE",
    operation: "Converse",
    callerKeyId: "k1",
    inputTokens: tokens,
    outputTokens: 0,
    latencyMs: 1,
    status: "success",
    startedAt: new Date(),
  };
}

describe("OnDemandQuotas", () => {
  it("counts requests per key and window", () => {
    let now = 0;
    const quotas = new OnDemandQuotas({ requestsPerMinute: 2 }, () => now);
    quotas.admit("k1", "r1");
    quotas.admit("k1", "r2");
    quotas.admit("k2", "r3");
    expect(() => quotas.admit("k1", "r4")).toThrow(/2 requests per minute/);
    now = 60_001;
    expect(() => quotas.admit("k1", "r5")).not.toThrow();
  });

  it("counts the tokens the usage ledger records, then throttles on them", () => {
    const quotas = new OnDemandQuotas({ tokensPerMinute: 100 }, () => 0);
    const recorded: InvocationRecord[] = [];
    const recorder = quotas.recorder({ record: (record) => recorded.push(record) });
    quotas.admit("k1", "r1");
    recorder.record(invocation("r1", 150));
    expect(recorded).toHaveLength(1);
    expect(() => quotas.admit("k1", "r2")).toThrow(/used 150 tokens/);
  });

  it("records a refused request in the usage ledger", async () => {
    const quotas = new OnDemandQuotas({ requestsPerMinute: 1 }, () => 0);
    const recorded: InvocationRecord[] = [];
    // biome-ignore lint/correctness/noComponentHookFactories: "Converse" is a Bedrock operation's handler, not a React component.
    const handlers = quotas.guard({ Converse: async () => ({ ok: true }) }, () => false, {
      record: (record) => recorded.push(record),
    });
    const call = handlers.Converse as unknown as (context: unknown, input: unknown) => Promise<unknown>;
    const context = { requestId: "r1", caller: { keyId: "k1" }, operationName: "Converse" };
    await expect(call(context, { modelId: "local.m" })).resolves.toEqual({ ok: true });
    await expect(call({ ...context, requestId: "r2" }, { modelId: "local.m" })).rejects.toMatchObject({
      name: "ThrottlingException",
    });
    expect(recorded).toMatchObject([{ requestId: "r2", status: "ThrottlingException", modelId: "local.m" }]);
  });

  it("does nothing without a quota", () => {
    const quotas = new OnDemandQuotas({});
    for (let index = 0; index < 100; index++) quotas.admit("k1", `r${index}`);
    expect(quotas.enabled).toBe(false);
  });
});
