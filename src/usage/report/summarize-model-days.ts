// The invocation part of the usage report: the ledger's invocations grouped per UTC day, serving model and
// billing (on-demand, provisioned, pass-through), with nearest-rank latency percentiles and what Bedrock would
// have charged for the same tokens. Pure: invocations, prices and parameter counts come in.
import type { UsageBilling, UsageReportModelDay } from "../../protocol/generated/strata-types.js";
import { idFromProvisionedModelArn } from "../../provisioned-throughput/provisioned-model-arns.js";
import { bedrockEquivalentOf } from "../bedrock-equivalent.js";
import { percentile, sortedAscending } from "../percentile.js";
import type { PriceList } from "../price-invocation.js";
import type { RecordedInvocation } from "../usage-ledger.js";
import { EquivalentTotal } from "./equivalent-total.js";

export function billingOf(invocation: Pick<RecordedInvocation, "servedBy" | "modelId">): UsageBilling {
  if (invocation.servedBy === "PASS_THROUGH") return "pass-through";
  return idFromProvisionedModelArn(invocation.modelId) ? "provisioned" : "on-demand";
}

interface Group {
  row: Omit<UsageReportModelDay, "latencyMs" | "timeToFirstTokenMsP50" | "bedrockEquivalent">;
  latencies: number[];
  timesToFirstToken: number[];
  equivalent: EquivalentTotal;
}

/** Rows ordered by day, then model id, then billing. */
export function summarizeModelDays(
  invocations: readonly RecordedInvocation[],
  prices: PriceList,
  parameterCounts: ReadonlyMap<string, number>,
): UsageReportModelDay[] {
  const groups = new Map<string, Group>();
  for (const invocation of invocations) {
    const day = invocation.startedAt.toISOString().slice(0, 10);
    const billing = billingOf(invocation);
    const key = `${day}\n${invocation.modelId}\n${billing}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        row: {
          day,
          modelId: invocation.modelId,
          billing,
          invocations: 0,
          errors: 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
        },
        latencies: [],
        timesToFirstToken: [],
        equivalent: new EquivalentTotal(),
      };
      groups.set(key, group);
    }
    const { row } = group;
    row.invocations += 1;
    if (invocation.status !== "success") row.errors += 1;
    row.inputTokens += invocation.inputTokens;
    row.outputTokens += invocation.outputTokens;
    row.costUsd += invocation.price.costUsd;
    group.latencies.push(invocation.latencyMs);
    if (invocation.timeToFirstTokenMs !== undefined)
      group.timesToFirstToken.push(invocation.timeToFirstTokenMs);
    group.equivalent.add(bedrockEquivalentOf(invocation, prices, parameterCounts.get(invocation.modelId)));
  }
  return [...groups.values()]
    .map(({ row, latencies, timesToFirstToken, equivalent }): UsageReportModelDay => {
      const sorted = sortedAscending(latencies);
      const timeToFirstTokenMsP50 = percentile(sortedAscending(timesToFirstToken), 50);
      return {
        ...row,
        latencyMs: {
          p50: percentile(sorted, 50) ?? 0,
          p90: percentile(sorted, 90) ?? 0,
          p99: percentile(sorted, 99) ?? 0,
        },
        ...(timeToFirstTokenMsP50 === undefined ? {} : { timeToFirstTokenMsP50 }),
        bedrockEquivalent: equivalent.result(),
      };
    })
    .sort(
      (a, b) =>
        compareText(a.day, b.day) || compareText(a.modelId, b.modelId) || compareText(a.billing, b.billing),
    );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
