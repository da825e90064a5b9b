// How metrics are named and printed in the report and the CLI.
import { higherIsBetter, type SummaryMetricKey } from "../evaluation-plan.js";

const labels: Record<string, string> = {
  exactMatch: "Exact match",
  rougeL: "ROUGE-L F1",
  bleu: "BLEU-4 (corpus)",
  tokenF1: "Token F1",
  loss: "Loss (nats/token)",
  perplexity: "Perplexity",
  accuracy: "Accuracy",
  macroF1: "Macro-F1",
  latencyP50Ms: "Latency p50",
  latencyP99Ms: "Latency p99",
  costUsd: "Cost",
};

export function metricLabel(metric: SummaryMetricKey): string {
  return (
    labels[metric] ??
    (metric.startsWith("judge:") ? `Judge: ${metric.slice(6).replace(/^Builtin\./, "")}` : metric)
  );
}

/** Whether the metric lives on 0–1 (quality scores) rather than an open scale. */
export function isUnitScale(metric: SummaryMetricKey): boolean {
  return higherIsBetter(metric);
}

export function formatMetric(metric: SummaryMetricKey, value: number): string {
  if (metric === "costUsd") return `$${value < 0.01 ? value.toPrecision(3) : value.toFixed(4)}`;
  if (metric.startsWith("latency")) return `${Math.round(value)} ms`;
  if (metric === "perplexity") return value.toFixed(2);
  if (metric === "loss") return value.toFixed(4);
  return value.toFixed(3);
}

export function formatDelta(metric: SummaryMetricKey, delta: number): string {
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  return `${sign}${formatMetric(metric, Math.abs(delta))}`;
}
