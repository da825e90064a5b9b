// The summary and the comparison, on per-example results made by hand (no model): what each metric adds up to,
// which way each delta goes, and which examples count as changed.
import { describe, expect, it } from "vitest";
import type { PlannedDataset } from "../evaluation-plan.js";
import type { EvaluationCase, ExampleResult } from "./evaluation-case.js";
import { summarizeEvaluation } from "./evaluation-results.js";

const dataset: PlannedDataset = {
  name: "facts",
  taskType: "QuestionAndAnswer",
  s3Uri: "s3://strata/facts.jsonl",
  metricNames: ["Builtin.Accuracy", "Strata.Perplexity"],
  metrics: {
    text: ["tokenF1", "exactMatch"],
    likelihood: true,
    classification: false,
    operational: true,
    judge: [],
  },
};
const cases: EvaluationCase[] = [
  { line: 1, promptText: "Who declares war?", reference: "The Congress.", category: "powers" },
  { line: 2, promptText: "Who ratifies treaties?", reference: "The Senate.", category: "powers" },
  {
    line: 3,
    promptText: "How often does the Congress meet?",
    reference: "Once a year.",
    category: "sessions",
  },
];
const answered = (line: number, response: string, extra: Partial<ExampleResult>): ExampleResult => ({
  line,
  response,
  latencyMs: 10 * line,
  inputTokens: 5,
  outputTokens: 3,
  costUsd: 0.01,
  ...extra,
});
const base: ExampleResult[] = [
  answered(1, "The King", {
    tokenF1: 0,
    exactMatch: 0,
    likelihood: { negativeLogLikelihood: 6, tokenCount: 3 },
  }),
  answered(2, "The Senate", {
    tokenF1: 1,
    exactMatch: 1,
    likelihood: { negativeLogLikelihood: 3, tokenCount: 3 },
  }),
  { line: 3, error: "context overflow", likelihood: { negativeLogLikelihood: 3, tokenCount: 3 } },
];
const candidate: ExampleResult[] = [
  answered(1, "Congress", {
    tokenF1: 1,
    exactMatch: 1,
    likelihood: { negativeLogLikelihood: 1.5, tokenCount: 3 },
  }),
  answered(2, "The Senate", {
    tokenF1: 1,
    exactMatch: 1,
    likelihood: { negativeLogLikelihood: 1.5, tokenCount: 3 },
  }),
  answered(3, "Yearly, once", {
    tokenF1: 2 / 3,
    exactMatch: 0,
    likelihood: { negativeLogLikelihood: 3, tokenCount: 3 },
  }),
];

describe("summarizeEvaluation", () => {
  const summary = summarizeEvaluation([{ dataset, cases, results: [base, candidate] }], ["base", "tuned"]);
  const results = summary.datasets[0];

  it("averages quality over every example, a failed one counting 0, and pools loss over tokens", () => {
    expect(results?.models[0]).toMatchObject({
      modelIdentifier: "base",
      examples: 3,
      failedExamples: 1,
      metrics: {
        tokenF1: 1 / 3,
        exactMatch: 1 / 3,
        loss: 12 / 9,
        perplexity: Math.exp(12 / 9),
        latencyP50Ms: 10,
        latencyP99Ms: 20,
        costUsd: 0.02,
      },
    });
    expect(results?.models[0]?.categories.map((category) => [category.category, category.examples])).toEqual([
      ["powers", 2],
      ["sessions", 1],
    ]);
    expect(results?.models[0]?.categories[0]?.metrics.tokenF1).toBe(0.5);
  });

  it("compares on every metric, decides on the primary one and lists the changed examples", () => {
    const comparison = results?.comparison;
    expect(results?.primaryMetric).toBe("tokenF1");
    expect(comparison?.verdict).toBe("better");
    const byMetric = Object.fromEntries((comparison?.metrics ?? []).map((metric) => [metric.metric, metric]));
    expect(byMetric.tokenF1).toMatchObject({
      base: 1 / 3,
      candidate: 8 / 9,
      verdict: "better",
      higherIsBetter: true,
    });
    expect(byMetric.perplexity).toMatchObject({ verdict: "better", higherIsBetter: false });
    expect(byMetric.latencyP99Ms).toMatchObject({ base: 20, candidate: 30, verdict: "worse" });
    // Line 1 went 0 → 1, line 3 went 0 (failed) → 2/3; line 2 did not change.
    expect(comparison?.changedExamples.map((example) => [example.line, example.change])).toEqual([
      [1, "improved"],
      [3, "improved"],
    ]);
    expect(comparison?.changedExamples[0]).toMatchObject({
      baseResponse: "The King",
      candidateResponse: "Congress",
      reference: "The Congress.",
    });
    expect([comparison?.improvedExamples, comparison?.regressedExamples]).toEqual([2, 0]);
  });

  it("has no comparison with one model", () => {
    const one = summarizeEvaluation([{ dataset, cases, results: [base] }], ["base"]);
    expect(one.datasets[0]?.comparison).toBeUndefined();
  });
});
