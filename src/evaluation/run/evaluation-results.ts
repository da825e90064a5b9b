// The results of an evaluation, built from the per-example results: per dataset, each model's summary and —
// with two models — their comparison. `summary` is what the API returns (GetEvaluationJobResults, the gate on
// the custom model); `document` adds every example with every model's answer and scores (results.json).
import { type PlannedDataset, primaryMetric, type SummaryMetricKey } from "../evaluation-plan.js";
import { compareModels, type ModelComparison } from "./compare-models.js";
import type { EvaluationCase, ExampleResult } from "./evaluation-case.js";
import { type ModelSummary, summarizeModel } from "./summarize-model.js";

export interface DatasetRun {
  dataset: PlannedDataset;
  cases: EvaluationCase[];
  /** results[model][example], in the order of the models and the cases. */
  results: ExampleResult[][];
}

export interface DatasetResults {
  datasetName: string;
  taskType: PlannedDataset["taskType"];
  s3Uri: string;
  metricNames: string[];
  examples: number;
  primaryMetric: SummaryMetricKey;
  models: ModelSummary[];
  comparison?: ModelComparison;
}

export interface EvaluationSummary {
  datasets: DatasetResults[];
}

export interface EvaluatedExample {
  line: number;
  prompt: string;
  reference?: string;
  category?: string;
  answers: ({ modelIdentifier: string } & Omit<ExampleResult, "line">)[];
}

export interface EvaluationDocument extends EvaluationSummary {
  examples: { datasetName: string; examples: EvaluatedExample[] }[];
  /** The judge model and the rubric of each judge metric, exactly as it was given them. */
  judge?: { modelIdentifier: string; rubrics: Record<string, string> };
}

export function summarizeEvaluation(
  runs: readonly DatasetRun[],
  modelIdentifiers: readonly string[],
): EvaluationSummary {
  return {
    datasets: runs.map(({ dataset, cases, results }) => {
      const summaries = modelIdentifiers.map((identifier, index) =>
        summarizeModel(identifier, cases, results[index] ?? [], dataset.metrics),
      );
      const primary = dataset.primaryMetric ?? primaryMetric(dataset.taskType, dataset.metrics);
      const [base, candidate] = summaries;
      return {
        datasetName: dataset.name,
        taskType: dataset.taskType,
        s3Uri: dataset.s3Uri,
        metricNames: dataset.metricNames,
        examples: cases.length,
        primaryMetric: primary,
        models: summaries,
        ...(base && candidate
          ? {
              comparison: compareModels(
                cases,
                { summary: base, results: results[0] ?? [] },
                { summary: candidate, results: results[1] ?? [] },
                primary,
              ),
            }
          : {}),
      };
    }),
  };
}

export function evaluationDocument(
  runs: readonly DatasetRun[],
  modelIdentifiers: readonly string[],
): EvaluationDocument {
  return {
    ...summarizeEvaluation(runs, modelIdentifiers),
    examples: runs.map(({ dataset, cases, results }) => ({
      datasetName: dataset.name,
      examples: cases.map((example, index) => ({
        line: example.line,
        prompt: example.promptText,
        ...(example.reference === undefined ? {} : { reference: example.reference }),
        ...(example.category === undefined ? {} : { category: example.category }),
        answers: modelIdentifiers.map((modelIdentifier, model) => {
          const { line: _line, ...result } = results[model]?.[index] ?? { line: example.line };
          return { modelIdentifier, ...result };
        }),
      })),
    })),
  };
}
