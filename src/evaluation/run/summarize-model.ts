// A model's metrics on one dataset, from its per-example results. Pure. Quality metrics are means over every
// example, an example the engine failed on counting as 0 (an unanswered prompt is a wrong answer, and hiding it
// would flatter the model); loss and perplexity are over the tokens of the references that could be scored;
// latency and cost over the answers that were generated; judge scores over the replies that carried a score.
import type { MetricSelection, SummaryMetricKey } from "../evaluation-plan.js";
import { corpusBleu } from "../metrics/bleu.js";
import { classificationScores } from "../metrics/classification-metrics.js";
import { latencyAndCost } from "../metrics/latency-and-cost.js";
import { lossAndPerplexity } from "../metrics/perplexity.js";
import type { EvaluationCase, ExampleResult } from "./evaluation-case.js";

export type MetricValues = Partial<Record<SummaryMetricKey, number>>;

export interface CategoryMetrics {
  category: string;
  examples: number;
  metrics: MetricValues;
}

export interface ModelSummary {
  modelIdentifier: string;
  examples: number;
  /** Examples the model gave no answer for (engine errors). */
  failedExamples: number;
  metrics: MetricValues;
  /** The same metrics per dataset category, when the records carry one. */
  categories: CategoryMetrics[];
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function metricValues(
  cases: readonly EvaluationCase[],
  results: readonly ExampleResult[],
  metrics: MetricSelection,
): MetricValues {
  const values: MetricValues = {};
  const referenced = cases
    .map((example, index) => ({ example, result: results[index] }))
    .filter((pair): pair is { example: EvaluationCase; result: ExampleResult } => pair.result !== undefined);
  const withReference = referenced.filter((pair) => pair.example.reference !== undefined);
  for (const metric of metrics.text) {
    if (metric === "bleu") {
      values.bleu = corpusBleu(
        withReference.map((pair) => pair.result.response ?? ""),
        withReference.map((pair) => [pair.example.reference as string]),
      ).score;
    } else values[metric] = mean(withReference.map((pair) => pair.result[metric] ?? 0));
  }
  if (metrics.likelihood) {
    const measured = lossAndPerplexity(withReference.flatMap((pair) => pair.result.likelihood ?? []));
    if (measured) Object.assign(values, { loss: measured.loss, perplexity: measured.perplexity });
  }
  if (metrics.classification) {
    const scores = classificationScores(
      withReference.map((pair) => pair.result.predictedLabel ?? undefined),
      withReference.map((pair) => pair.example.reference as string),
    );
    Object.assign(values, { accuracy: scores.accuracy, macroF1: scores.macroF1 });
  }
  if (metrics.operational) {
    const generated = referenced.flatMap(({ result }) =>
      result.latencyMs === undefined
        ? []
        : [
            {
              latencyMs: result.latencyMs,
              inputTokens: result.inputTokens ?? 0,
              outputTokens: result.outputTokens ?? 0,
              costUsd: result.costUsd ?? 0,
            },
          ],
    );
    const measured = latencyAndCost(generated);
    if (measured)
      Object.assign(values, {
        latencyP50Ms: measured.latencyP50Ms,
        latencyP99Ms: measured.latencyP99Ms,
        costUsd: measured.costUsd,
      });
  }
  for (const metric of metrics.judge) {
    const scores = referenced.flatMap(({ result }) => {
      const score = result.judge?.[metric]?.score;
      return score === undefined ? [] : [(score - 1) / 4];
    });
    if (scores.length > 0) values[`judge:${metric}`] = mean(scores);
  }
  return values;
}

export function summarizeModel(
  modelIdentifier: string,
  cases: readonly EvaluationCase[],
  results: readonly ExampleResult[],
  metrics: MetricSelection,
): ModelSummary {
  const categories = [...new Set(cases.flatMap((example) => example.category ?? []))].sort();
  return {
    modelIdentifier,
    examples: cases.length,
    failedExamples: results.filter((result) => result.error !== undefined).length,
    metrics: metricValues(cases, results, metrics),
    categories: categories.map((category) => {
      const indexes = cases.flatMap((example, index) => (example.category === category ? [index] : []));
      return {
        category,
        examples: indexes.length,
        metrics: metricValues(
          indexes.map((index) => cases[index] as EvaluationCase),
          indexes.map((index) => results[index] as ExampleResult),
          metrics,
        ),
      };
    }),
  };
}
