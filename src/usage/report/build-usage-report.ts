// The usage and cost report, assembled from what its sources read: invocations per model and day, training
// jobs, reservation periods, totals and the Bedrock comparison. Reads through UsageReportSources; the pricing
// and grouping below it are pure functions.
import { modelIdFromIdentifier } from "../../catalog/catalog.js";
import type { GetUsageReportResponse, UsageReportTotals } from "../../protocol/generated/strata-types.js";
import { inferenceSizeClasses, trainingSizeClasses } from "../bedrock-size-class.js";
import type { PriceList } from "../price-invocation.js";
import type { RecordedInvocation } from "../usage-ledger.js";
import { type ReservationPeriodRecord, reservationDayCosts } from "./reservation-day-costs.js";
import { summarizeModelDays } from "./summarize-model-days.js";
import { priceTrainingJob, type TrainingJobRecord } from "./training-job-costs.js";

export interface UsageReportSources {
  /** The ledger's invocations in [from, to), of one caller when callerKeyId is set, of one model when modelId is. */
  invocations(query: {
    from: Date;
    to: Date;
    modelId?: string;
    callerKeyId?: string;
  }): Promise<RecordedInvocation[]>;
  /** Parameter counts of these model ids, where known (local models). */
  parameterCounts(modelIds: readonly string[]): Promise<Map<string, number>>;
  trainingJobs(): Promise<TrainingJobRecord[]>;
  /** Billing periods overlapping [from, to), each with the ids the reservation answers to in a model filter. */
  reservationPeriods(range: {
    from: Date;
    to: Date;
  }): Promise<(ReservationPeriodRecord & { identifiers: readonly string[] })[]>;
}

export interface UsageReportQuery {
  from: Date;
  to: Date;
  modelId?: string;
  callerKeyId?: string;
}

export interface UsageReportSettings {
  prices: PriceList;
  localTrainingPricePer1kTokens: number;
}

export async function buildUsageReport(
  sources: UsageReportSources,
  settings: UsageReportSettings,
  query: UsageReportQuery,
  now = new Date(),
): Promise<GetUsageReportResponse> {
  const { from, to } = query;
  const matchesModel = (identifiers: readonly string[]) =>
    query.modelId === undefined ||
    identifiers.some(
      (identifier) =>
        identifier === query.modelId ||
        modelIdFromIdentifier(identifier) === modelIdFromIdentifier(query.modelId ?? ""),
    );

  const invocations = await sources.invocations(query);
  const parameterCounts = await sources.parameterCounts([
    ...new Set(invocations.map((entry) => entry.modelId)),
  ]);
  const models = summarizeModelDays(invocations, settings.prices, parameterCounts);

  const trainingJobs = (await sources.trainingJobs())
    .filter((job) => job.creationTime < to && (job.endTime ?? now) >= from && matchesModel(job.identifiers))
    .sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime())
    .map((job) => priceTrainingJob(job, settings.localTrainingPricePer1kTokens, now));

  // Accrue no further than now: an open period of a live reservation has not cost the future yet.
  const accrualEnd = to < now ? to : now;
  const periods = (await sources.reservationPeriods({ from, to: accrualEnd })).filter((period) =>
    matchesModel(period.identifiers),
  );
  const reservations = from < accrualEnd ? reservationDayCosts(periods, { from, to: accrualEnd }) : [];

  const totals: UsageReportTotals = {
    invocations: 0,
    inputTokens: 0,
    outputTokens: 0,
    invocationCostUsd: 0,
    trainingCostUsd: 0,
    reservationCostUsd: 0,
    totalCostUsd: 0,
    bedrockEquivalentCostUsd: 0,
    withoutBedrockEquivalent: [],
  };
  for (const row of models) {
    totals.invocations += row.invocations;
    totals.inputTokens += row.inputTokens;
    totals.outputTokens += row.outputTokens;
    totals.invocationCostUsd += row.costUsd;
    if (row.bedrockEquivalent.costUsd !== undefined)
      totals.bedrockEquivalentCostUsd += row.bedrockEquivalent.costUsd;
    else
      totals.withoutBedrockEquivalent.push(
        `${row.modelId} on ${row.day} (${row.billing}): ${row.bedrockEquivalent.basis}`,
      );
  }
  for (const job of trainingJobs) {
    totals.trainingCostUsd += job.costUsd;
    if (job.bedrockEquivalent.costUsd !== undefined)
      totals.bedrockEquivalentCostUsd += job.bedrockEquivalent.costUsd;
    else
      totals.withoutBedrockEquivalent.push(
        `${job.jobKind} job ${job.jobName}: ${job.bedrockEquivalent.basis}`,
      );
  }
  for (const reservation of reservations) {
    totals.reservationCostUsd += reservation.costUsd;
    totals.bedrockEquivalentCostUsd += reservation.bedrockEquivalent.costUsd ?? 0;
  }
  totals.totalCostUsd = totals.invocationCostUsd + totals.trainingCostUsd + totals.reservationCostUsd;

  return { from, to, models, trainingJobs, reservations, totals, notes: reportNotes(settings) };
}

function reportNotes(settings: UsageReportSettings): string[] {
  const classes = (list: typeof inferenceSizeClasses) =>
    list.map((sizeClass) => `${sizeClass.label} → ${sizeClass.bedrockModelId}`).join(", ");
  return [
    `Invocation cost is the usage ledger's price of each invocation; local models: ${settings.prices.local.default.source ?? "the local price table"}`,
    "Traffic on a provisioned throughput is also priced per token by the ledger (the host's cost of serving it); its reservation is billed by model-unit hours on top, as GetCostSummary does.",
    `Bedrock equivalents: pass-through at Bedrock's price; an alias at the price of the Bedrock model it stands in for; any other local model at the on-demand price of the Bedrock model of its size class (${classes(inferenceSizeClasses)}; larger: none).`,
    `Training equivalents: Bedrock's published training price of the size class of the base model (${classes(trainingSizeClasses)}; larger: none); pretraining from random weights has no Bedrock equivalent.`,
    "Reservation equivalents: the same model-unit hours at Bedrock's published Provisioned Throughput price for the commitment term.",
  ];
}
