// The base-vs-custom evaluation a customization job stored with its custom model, as `strata custom-models get`
// prints it: the verdict, then each metric for the base and the custom model with the delta.
import type { CustomModelEvaluation } from "../../protocol/generated/strata-types.js";

function format(metric: string, value: number): string {
  if (metric === "costUsd") return `$${value.toPrecision(3)}`;
  if (metric.startsWith("latency")) return `${Math.round(value)} ms`;
  if (metric === "perplexity") return value.toFixed(2);
  return value.toFixed(4);
}

export function customModelEvaluationRows(evaluation: CustomModelEvaluation | undefined): [string, string][] {
  if (!evaluation) return [];
  if (evaluation.status !== "Completed")
    return [["vs base model", `not evaluated: ${evaluation.failureMessage ?? evaluation.status}`]];
  const seconds = evaluation.seconds.toFixed(1);
  return [
    [
      "vs base model",
      `${evaluation.verdict ?? "same"} on ${evaluation.primaryMetric ?? "-"} (${evaluation.examplesEvaluated} of ${evaluation.records} validation records, ${seconds} s; ${evaluation.improvedExamples} improved, ${evaluation.regressedExamples} regressed)`,
    ],
    ...evaluation.metrics.map((metric): [string, string] => [
      `  ${metric.metric}`,
      `${format(metric.metric, metric.base)} → ${format(metric.metric, metric.candidate)} (${metric.delta >= 0 ? "+" : "−"}${format(metric.metric, Math.abs(metric.delta))}, ${metric.verdict})`,
    ]),
    ...(evaluation.reportS3Uri ? ([["  report", evaluation.reportS3Uri]] as [string, string][]) : []),
  ];
}
