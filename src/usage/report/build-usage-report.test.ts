import { describe, expect, it } from "vitest";
import { loadBedrockModels } from "../../catalog/bedrock-catalog/bedrock-model-entry.js";
import { bedrockTrainingPrices } from "../../customization/estimate/bedrock-training-prices.js";
import { defaultReservationPrices } from "../../provisioned-throughput/cost/reservation-prices.js";
import { priceInvocation, pricesFromCatalog } from "../price-invocation.js";
import type { RecordedInvocation } from "../usage-ledger.js";
import { buildUsageReport, type UsageReportSources } from "./build-usage-report.js";
import type { TrainingJobRecord } from "./training-job-costs.js";

const prices = pricesFromCatalog(loadBedrockModels());
const reservation = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefabcdef";
const customModel = "arn:aws:bedrock:us-east-1:000000000000:custom-model/local.tiny/ghijklghijkl";

function invocation(index: number, overrides: Partial<RecordedInvocation> = {}): RecordedInvocation {
  const record = {
    requestId: `r${index}`,
    requestedModelId: "local.tiny",
    modelId: "local.tiny",
    servedBy: "LOCAL_ENGINE" as const,
    operation: "Converse",
    callerKeyId: "key",
    inputTokens: 100 + index,
    outputTokens: 10 * index,
    latencyMs: 10 * index,
    status: "success",
    startedAt: new Date(Date.parse("2026-11-28T23:00:00Z") + index * 6 * 60_000),
    ...overrides,
  };
  return { ...record, price: priceInvocation(record, prices) };
}

/** Nearest rank, written out independently of src/usage/percentile.ts. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
}

const jobs: TrainingJobRecord[] = [
  {
    jobKind: "customization",
    jobId: "job1",
    jobName: "tune",
    status: "Completed",
    baseModelId: "local.tiny",
    outputModelId: customModel,
    parameterCount: 5e6,
    creationTime: new Date("2026-11-28T10:00:00Z"),
    endTime: new Date("2026-11-28T10:30:00Z"),
    trainedTokens: 40_000,
    identifiers: ["job1", "tune", "local.tiny", customModel],
  },
  {
    jobKind: "customization",
    jobId: "job2",
    jobName: "stopped",
    status: "Stopped",
    parameterCount: 5e6,
    creationTime: new Date("2026-11-28T11:00:00Z"),
    endTime: new Date("2026-11-28T11:05:00Z"),
    identifiers: ["job2", "stopped", "local.other"],
  },
  {
    jobKind: "pretraining",
    jobId: "job3",
    jobName: "pretrain",
    status: "Completed",
    outputModelId: "local.fresh",
    parameterCount: 5e6,
    creationTime: new Date("2026-11-20T00:00:00Z"),
    endTime: new Date("2026-11-20T01:00:00Z"),
    trainedTokens: 8_192,
    identifiers: ["job3", "pretrain", "local.fresh"],
  },
];

function sources(invocations: RecordedInvocation[]): UsageReportSources {
  return {
    invocations: async (query) =>
      invocations.filter(
        (entry) =>
          entry.startedAt >= query.from &&
          entry.startedAt < query.to &&
          (query.modelId === undefined || entry.modelId === query.modelId),
      ),
    parameterCounts: async (modelIds) =>
      new Map(modelIds.filter((id) => id === "local.tiny").map((id) => [id, 5e6])),
    trainingJobs: async () => jobs,
    reservationPeriods: async () => [
      {
        provisionedModelArn: reservation,
        modelArn: customModel,
        commitmentTerm: "OneMonth",
        modelUnits: 2,
        pricePerUnitHourUsd: 5,
        startedAt: new Date("2026-11-28T22:00:00Z"),
        endedAt: new Date("2026-11-29T03:00:00Z"),
        identifiers: [reservation, customModel],
      },
    ],
  };
}

const range = { from: new Date("2026-11-25T00:00:00Z"), to: new Date("2026-11-30T00:00:00Z") };
const now = new Date("2026-11-30T12:00:00Z");
const settings = { prices, localTrainingPricePer1kTokens: 0.002 };

describe("buildUsageReport", () => {
  const local = Array.from({ length: 20 }, (_, index) => invocation(index + 1));
  const onReservation = [1, 2, 3].map((index) =>
    invocation(100 + index, { modelId: reservation, requestedModelId: reservation }),
  );

  it("groups invocations per UTC day, model and billing, with nearest-rank p50/p90/p99", async () => {
    const report = await buildUsageReport(sources([...local, ...onReservation]), settings, range, now);
    const days = report.models.filter((row) => row.modelId === "local.tiny").map((row) => row.day);
    expect(days).toEqual(["2026-11-28", "2026-11-29"]);
    for (const row of report.models.filter((entry) => entry.modelId === "local.tiny")) {
      const members = local.filter((entry) => entry.startedAt.toISOString().startsWith(row.day));
      const latencies = members.map((entry) => entry.latencyMs);
      expect(row.invocations).toBe(members.length);
      expect(row.latencyMs).toEqual({
        p50: nearestRank(latencies, 50),
        p90: nearestRank(latencies, 90),
        p99: nearestRank(latencies, 99),
      });
      const price = prices.bedrock["meta.llama3-2-1b-instruct-v1:0"];
      const tokensIn = members.reduce((sum, entry) => sum + entry.inputTokens, 0);
      const tokensOut = members.reduce((sum, entry) => sum + entry.outputTokens, 0);
      expect(row.bedrockEquivalent.costUsd).toBeCloseTo(
        (tokensIn / 1000) * (price?.inputPer1kTokens ?? 0) +
          (tokensOut / 1000) * (price?.outputPer1kTokens ?? 0),
        12,
      );
    }
    const reserved = report.models.find((row) => row.modelId === reservation);
    expect(reserved).toMatchObject({ billing: "provisioned", invocations: 3 });
    expect(reserved?.bedrockEquivalent.costUsd).toBeUndefined();
    expect(report.totals.withoutBedrockEquivalent).toEqual([
      expect.stringContaining(`${reservation} on 2026-11-29 (provisioned)`),
      expect.stringContaining("customization job stopped"),
    ]);
  });

  it("prices training jobs and reservations, and totals everything", async () => {
    const report = await buildUsageReport(sources(local), settings, range, now);
    expect(report.trainingJobs.map((job) => job.jobName)).toEqual(["tune", "stopped"]);
    const [tune, stopped] = report.trainingJobs;
    expect(tune).toMatchObject({ wallSeconds: 1800, trainedTokens: 40_000 });
    expect(tune?.costUsd).toBeCloseTo(40 * 0.002, 12);
    const llama13b = bedrockTrainingPrices.find((price) => price.modelId === "meta.llama2-13b-v1:0:4k");
    expect(tune?.bedrockEquivalent.costUsd).toBeCloseTo(40 * (llama13b?.pricePer1kTokens ?? Number.NaN), 12);
    expect(stopped).toMatchObject({ costUsd: 0 });
    expect(stopped?.trainedTokens).toBeUndefined();

    expect(report.reservations.map((row) => [row.day, row.unitHours, row.costUsd])).toEqual([
      ["2026-11-28", 4, 20],
      ["2026-11-29", 6, 30],
    ]);
    expect(report.reservations[0]?.bedrockEquivalent.costUsd).toBeCloseTo(
      4 * defaultReservationPrices.perUnitHourUsd.OneMonth,
      9,
    );

    const { totals } = report;
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(totals.invocationCostUsd).toBeCloseTo(sum(local.map((entry) => entry.price.costUsd)), 12);
    expect(totals.totalCostUsd).toBeCloseTo(totals.invocationCostUsd + 40 * 0.002 + 50, 9);
    expect(totals.bedrockEquivalentCostUsd).toBeCloseTo(
      sum(report.models.map((row) => row.bedrockEquivalent.costUsd ?? 0)) +
        (tune?.bedrockEquivalent.costUsd ?? 0) +
        10 * defaultReservationPrices.perUnitHourUsd.OneMonth,
      9,
    );
    expect(totals.withoutBedrockEquivalent).toEqual([expect.stringContaining("customization job stopped")]);
  });

  it("keeps to one model when asked: its jobs and reservations too", async () => {
    const report = await buildUsageReport(
      sources(local),
      settings,
      { ...range, modelId: "local.other" },
      now,
    );
    expect(report.models).toEqual([]);
    expect(report.trainingJobs.map((job) => job.jobName)).toEqual(["stopped"]);
    expect(report.reservations).toEqual([]);
    const byArn = await buildUsageReport(sources(local), settings, { ...range, modelId: customModel }, now);
    expect(byArn.trainingJobs.map((job) => job.jobName)).toEqual(["tune"]);
    expect(byArn.reservations).toHaveLength(2);
  });

  it("has no Bedrock equivalent for pretraining from random weights", async () => {
    const report = await buildUsageReport(
      sources([]),
      settings,
      { from: new Date("2026-11-19T00:00:00Z"), to: range.to },
      now,
    );
    const pretrain = report.trainingJobs.find((job) => job.jobKind === "pretraining");
    expect(pretrain?.costUsd).toBeCloseTo(8.192 * 0.002, 12);
    expect(pretrain?.bedrockEquivalent.costUsd).toBeUndefined();
    expect(pretrain?.bedrockEquivalent.basis).toContain("random weights");
  });
});
