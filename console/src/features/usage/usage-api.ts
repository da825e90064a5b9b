// Usage and cost: Strata's GetUsageReport (invocations per model and day, training jobs, reservations, totals,
// Bedrock equivalents); recent invocations from ListInvocations.
import { callJson } from "../../lib/api-client.js";

export interface ModelDay {
  day: string;
  modelId: string;
  billing?: string;
  invocations: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: { p50: number; p90?: number; p95?: number; p99: number };
  timeToFirstTokenMsP50?: number;
  costUsd: number;
  bedrockEquivalentCostUsd?: number;
}

export interface TrainingJobCost {
  jobKind: string;
  jobName: string;
  status: string;
  baseModelId?: string;
  wallSeconds: number;
  trainedTokens?: number;
  costUsd: number;
  bedrockEquivalentCostUsd?: number;
}

export interface ReservationDay {
  day: string;
  provisionedModelArn: string;
  modelArn: string;
  commitmentTerm: string;
  unitHours: number;
  costUsd: number;
}

export interface UsageTotals {
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  invocationCostUsd: number;
  trainingCostUsd?: number;
  reservationCostUsd?: number;
  totalCostUsd: number;
  bedrockEquivalentCostUsd?: number;
}

export interface UsageView {
  models: ModelDay[];
  trainingJobs: TrainingJobCost[];
  reservations: ReservationDay[];
  totals: UsageTotals;
  notes: string[];
}

export interface Invocation {
  requestId: string;
  modelId: string;
  operation: string;
  status: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  costUsd: number;
  startTime: string;
}

interface ReportResponse {
  models: (Omit<ModelDay, "bedrockEquivalentCostUsd"> & { bedrockEquivalent?: { costUsd?: number } })[];
  trainingJobs: (Omit<TrainingJobCost, "bedrockEquivalentCostUsd"> & {
    bedrockEquivalent?: { costUsd?: number };
  })[];
  reservations: ReservationDay[];
  totals: UsageTotals;
  notes: string[];
}

export async function loadUsage(from: Date, to: Date, signal: AbortSignal): Promise<UsageView> {
  const range = { from: from.toISOString(), to: to.toISOString() };
  const report = await callJson<ReportResponse>({
    method: "GET",
    path: "/strata/usage/report",
    query: range,
    signal,
  });
  return {
    models: report.models.map(({ bedrockEquivalent, ...day }) => ({
      ...day,
      ...(bedrockEquivalent?.costUsd !== undefined
        ? { bedrockEquivalentCostUsd: bedrockEquivalent.costUsd }
        : {}),
    })),
    trainingJobs: report.trainingJobs.map(({ bedrockEquivalent, ...job }) => ({
      ...job,
      ...(bedrockEquivalent?.costUsd !== undefined
        ? { bedrockEquivalentCostUsd: bedrockEquivalent.costUsd }
        : {}),
    })),
    reservations: report.reservations,
    totals: report.totals,
    notes: report.notes,
  };
}

export async function recentInvocations(from: Date, signal: AbortSignal): Promise<Invocation[]> {
  const { invocations } = await callJson<{ invocations: Invocation[] }>({
    method: "GET",
    path: "/strata/usage/invocations",
    query: { from: from.toISOString(), maxResults: 1000 },
    signal,
  });
  return invocations.slice(-25).reverse();
}
