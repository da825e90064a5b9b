// The metric names CreateEvaluationJob takes, and what each one measures here. Bedrock's automated built-in
// metric is Builtin.Accuracy, whose meaning depends on the task (Bedrock: BERTScore for summaries, F1 for
// questions, accuracy for classes); Strata computes the reference-based metrics it can compute honestly on this
// machine for each task, and adds its own names for each metric alone. Builtin.Robustness and
// Builtin.Toxicity need perturbation sets and a toxicity classifier Strata does not have: they are refused, not
// faked. Judge metrics (Builtin.Correctness, …) need an evaluator model.
import type { EvaluationTaskType } from "../protocol/generated/bedrock-types.js";
import type { MetricSelection } from "./evaluation-plan.js";
import { judgeRubrics } from "./judge/judge-rubrics.js";

type TextMetric = MetricSelection["text"][number];

const accuracyByTask: Record<EvaluationTaskType, TextMetric[]> = {
  QuestionAndAnswer: ["tokenF1", "exactMatch"],
  Summarization: ["rougeL", "bleu"],
  Classification: [],
  Generation: ["rougeL", "bleu", "tokenF1", "exactMatch"],
  Custom: ["rougeL", "bleu", "tokenF1", "exactMatch"],
};

const strataMetrics: Record<string, TextMetric> = {
  "Strata.ExactMatch": "exactMatch",
  "Strata.RougeL": "rougeL",
  "Strata.Bleu": "bleu",
  "Strata.TokenF1": "tokenF1",
};

const refused: Record<string, string> = {
  "Builtin.Robustness":
    "Builtin.Robustness perturbs every prompt and measures how the answers change; Strata has no perturbation sets yet",
  "Builtin.Toxicity": "Builtin.Toxicity needs a toxicity classifier, which Strata does not have",
};

export const knownMetricNames = [
  "Builtin.Accuracy",
  ...Object.keys(strataMetrics),
  "Strata.Perplexity",
  "Strata.ClassificationAccuracy",
  "Strata.Latency",
  "Strata.Cost",
  ...Object.keys(judgeRubrics),
];

export type MetricSelectionResult = { ok: true; metrics: MetricSelection } | { ok: false; reason: string };

/** Latency and cost are measured on every generation, so they are always reported. */
export function metricSelection(
  taskType: EvaluationTaskType,
  metricNames: readonly string[],
): MetricSelectionResult {
  const metrics: MetricSelection = {
    text: [],
    likelihood: false,
    classification: false,
    operational: true,
    judge: [],
  };
  const addText = (metric: TextMetric) => {
    if (!metrics.text.includes(metric)) metrics.text.push(metric);
  };
  for (const name of metricNames) {
    const refusal = refused[name];
    if (refusal) return { ok: false, reason: refusal };
    const text = strataMetrics[name];
    if (text) addText(text);
    else if (name === "Builtin.Accuracy") {
      for (const metric of accuracyByTask[taskType]) addText(metric);
      if (taskType === "Classification") metrics.classification = true;
    } else if (name === "Strata.Perplexity") metrics.likelihood = true;
    else if (name === "Strata.ClassificationAccuracy") {
      if (taskType !== "Classification")
        return {
          ok: false,
          reason: `${name} reads class labels: it needs taskType Classification, not ${taskType}`,
        };
      metrics.classification = true;
    } else if (name === "Strata.Latency" || name === "Strata.Cost") continue;
    else if (name in judgeRubrics) {
      if (!metrics.judge.includes(name)) metrics.judge.push(name);
    } else
      return {
        ok: false,
        reason: `${name} is not a metric Strata knows; use ${knownMetricNames.join(", ")}`,
      };
  }
  return { ok: true, metrics };
}

/** Whether any metric compares answers with a reference (then every record needs referenceResponse). */
export function needsReference(metrics: MetricSelection): boolean {
  return metrics.text.length > 0 || metrics.likelihood || metrics.classification;
}
