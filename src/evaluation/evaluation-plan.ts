// What an evaluation runs, decided once when it is accepted (CreateEvaluationJob, or the base-vs-custom gate of
// a customization job) and stored with the job: the datasets with their task types and metrics, the models with
// their generation settings, the judge with its rubrics. The runner reads nothing else.
import type { EvaluationTaskType } from "../protocol/generated/bedrock-types.js";

/** A metric Strata computes; each appears under this key in every summary. */
export type MetricKey =
  | "exactMatch"
  | "rougeL"
  | "bleu"
  | "tokenF1"
  | "loss"
  | "perplexity"
  | "accuracy"
  | "macroF1"
  | "latencyP50Ms"
  | "latencyP99Ms"
  | "costUsd";

/** Judge metrics are keyed `judge:<metric name>` (e.g. judge:Builtin.Correctness). */
export type SummaryMetricKey = MetricKey | `judge:${string}`;

/** What to measure on a dataset; expanded from its metric names. */
export interface MetricSelection {
  /** Reference-based text metrics of each answer. */
  text: ("exactMatch" | "rougeL" | "bleu" | "tokenF1")[];
  /** Loss and perplexity of the reference (one scoring pass per example, no generation needed for it). */
  likelihood: boolean;
  /** Accuracy and macro-F1, reading a label from each answer (taskType Classification). */
  classification: boolean;
  /** Latency and cost of the generations. */
  operational: boolean;
  /** Judge metric names (Builtin.Correctness, …), scored by the judge model. */
  judge: string[];
}

export interface PlannedDataset {
  name: string;
  taskType: EvaluationTaskType;
  s3Uri: string;
  /** As requested (echoed in results). */
  metricNames: string[];
  metrics: MetricSelection;
  /** Decides the verdict and the changed examples; default: the task's own (primaryMetric below). */
  primaryMetric?: SummaryMetricKey;
}

export interface GenerationSettings {
  maxTokens: number;
  temperature: number;
  topP?: number;
  stopSequences?: string[];
  /** chat: the prompt is one user message in the model's chat template; text: the prompt as raw text. */
  promptFormat: "chat" | "text";
}

export interface PlannedModel {
  /** As requested: a model id, foundation-model ARN or provisioned-model ARN. */
  modelIdentifier: string;
  settings: GenerationSettings;
}

export interface PlannedJudge {
  modelIdentifier: string;
  /** Metric name → the rubric the judge is given (stored, so the job says exactly what was asked). */
  rubrics: Record<string, string>;
}

export interface EvaluationPlan {
  datasets: PlannedDataset[];
  models: PlannedModel[];
  judge?: PlannedJudge;
  outputS3Uri: string;
}

/** Whether a larger value of the metric is the better one. */
export function higherIsBetter(metric: SummaryMetricKey): boolean {
  return !["loss", "perplexity", "latencyP50Ms", "latencyP99Ms", "costUsd"].includes(metric);
}

/** Whether the selection needs the models to answer (every metric but loss and perplexity does). */
export function needsGeneration(metrics: MetricSelection): boolean {
  return metrics.text.length > 0 || metrics.classification || metrics.operational || metrics.judge.length > 0;
}

/** The metric a dataset's verdict (better / worse) and its changed examples are decided on. */
export function primaryMetric(taskType: EvaluationTaskType, metrics: MetricSelection): SummaryMetricKey {
  if (metrics.classification) return "accuracy";
  const first = metrics.judge[0];
  if (first) return `judge:${first}`;
  if (taskType === "QuestionAndAnswer" && metrics.text.includes("tokenF1")) return "tokenF1";
  if (metrics.text.includes("rougeL")) return "rougeL";
  const text = metrics.text[0];
  if (text) return text;
  return metrics.likelihood ? "perplexity" : "latencyP50Ms";
}
