// Base against candidate (the job's first and second model; the base and the custom model in the gate): every
// metric both have with its delta and which way it went, the verdict on the dataset's primary metric, and the
// examples whose result changed — an answer that became right or wrong, or whose primary score moved by at
// least a tenth of its 0–1 range (a tenth of the base's perplexity for perplexity). Pure.
import { higherIsBetter, type SummaryMetricKey } from "../evaluation-plan.js";
import { corpusBleu } from "../metrics/bleu.js";
import type { EvaluationCase, ExampleResult } from "./evaluation-case.js";
import type { ModelSummary } from "./summarize-model.js";

export type Verdict = "better" | "worse" | "same";

export interface MetricComparison {
  metric: SummaryMetricKey;
  base: number;
  candidate: number;
  /** candidate − base. */
  delta: number;
  higherIsBetter: boolean;
  /** How the candidate did against the base on this metric. */
  verdict: Verdict;
}

export interface ChangedExample {
  line: number;
  prompt: string;
  reference?: string;
  category?: string;
  baseResponse?: string;
  candidateResponse?: string;
  metric: SummaryMetricKey;
  baseScore: number;
  candidateScore: number;
  change: "improved" | "regressed";
}

export interface ModelComparison {
  baseModelIdentifier: string;
  candidateModelIdentifier: string;
  primaryMetric: SummaryMetricKey;
  /** The verdict on the primary metric. */
  verdict: Verdict;
  metrics: MetricComparison[];
  improvedExamples: number;
  regressedExamples: number;
  /** Largest changes first. */
  changedExamples: ChangedExample[];
}

function verdictOf(metric: SummaryMetricKey, delta: number): Verdict {
  if (Math.abs(delta) < 1e-12) return "same";
  return delta > 0 === higherIsBetter(metric) ? "better" : "worse";
}

/** The primary metric of one example; undefined when it has none (no answer, no reference, no judge score). */
export function exampleScore(
  metric: SummaryMetricKey,
  example: EvaluationCase,
  result: ExampleResult | undefined,
): number | undefined {
  if (!result) return undefined;
  switch (metric) {
    case "accuracy":
      return result.predictedLabel === undefined
        ? undefined
        : result.predictedLabel === example.reference
          ? 1
          : 0;
    case "exactMatch":
    case "rougeL":
    case "tokenF1":
      return result.error !== undefined ? 0 : result[metric];
    case "bleu":
      return example.reference === undefined
        ? undefined
        : corpusBleu([result.response ?? ""], [[example.reference]]).score;
    case "perplexity":
    case "loss": {
      const likelihood = result.likelihood;
      if (!likelihood || likelihood.tokenCount === 0) return undefined;
      const loss = likelihood.negativeLogLikelihood / likelihood.tokenCount;
      return metric === "loss" ? loss : Math.exp(loss);
    }
    case "latencyP50Ms":
    case "latencyP99Ms":
      return result.latencyMs;
    case "costUsd":
      return result.costUsd;
    default: {
      const score = result.judge?.[metric.slice("judge:".length)]?.score;
      return score === undefined ? undefined : (score - 1) / 4;
    }
  }
}

function changed(metric: SummaryMetricKey, base: number, candidate: number): boolean {
  if (metric === "perplexity" || metric === "loss" || metric.startsWith("latency") || metric === "costUsd")
    return Math.abs(candidate - base) >= 0.1 * Math.abs(base);
  return Math.abs(candidate - base) >= 0.1 - 1e-12;
}

export function compareModels(
  cases: readonly EvaluationCase[],
  base: { summary: ModelSummary; results: readonly ExampleResult[] },
  candidate: { summary: ModelSummary; results: readonly ExampleResult[] },
  primaryMetric: SummaryMetricKey,
): ModelComparison {
  const metrics: MetricComparison[] = [];
  for (const [metric, baseValue] of Object.entries(base.summary.metrics) as [SummaryMetricKey, number][]) {
    const candidateValue = candidate.summary.metrics[metric];
    if (candidateValue === undefined) continue;
    const delta = candidateValue - baseValue;
    metrics.push({
      metric,
      base: baseValue,
      candidate: candidateValue,
      delta,
      higherIsBetter: higherIsBetter(metric),
      verdict: verdictOf(metric, delta),
    });
  }
  const changedExamples: ChangedExample[] = [];
  for (const [index, example] of cases.entries()) {
    const baseResult = base.results[index];
    const candidateResult = candidate.results[index];
    const baseScore = exampleScore(primaryMetric, example, baseResult);
    const candidateScore = exampleScore(primaryMetric, example, candidateResult);
    if (baseScore === undefined || candidateScore === undefined) continue;
    if (!changed(primaryMetric, baseScore, candidateScore)) continue;
    changedExamples.push({
      line: example.line,
      prompt: example.promptText,
      ...(example.reference === undefined ? {} : { reference: example.reference }),
      ...(example.category === undefined ? {} : { category: example.category }),
      ...(baseResult?.response === undefined ? {} : { baseResponse: baseResult.response }),
      ...(candidateResult?.response === undefined ? {} : { candidateResponse: candidateResult.response }),
      metric: primaryMetric,
      baseScore,
      candidateScore,
      change: verdictOf(primaryMetric, candidateScore - baseScore) === "better" ? "improved" : "regressed",
    });
  }
  const magnitude = (example: ChangedExample) =>
    Math.abs(example.candidateScore - example.baseScore) /
    (higherIsBetter(primaryMetric) ? 1 : Math.abs(example.baseScore) || 1);
  changedExamples.sort((a, b) => magnitude(b) - magnitude(a) || a.line - b.line);
  const primary = metrics.find((comparison) => comparison.metric === primaryMetric);
  return {
    baseModelIdentifier: base.summary.modelIdentifier,
    candidateModelIdentifier: candidate.summary.modelIdentifier,
    primaryMetric,
    verdict: primary?.verdict ?? "same",
    metrics,
    improvedExamples: changedExamples.filter((example) => example.change === "improved").length,
    regressedExamples: changedExamples.filter((example) => example.change === "regressed").length,
    changedExamples,
  };
}
