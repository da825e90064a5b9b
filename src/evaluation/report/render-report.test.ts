import { describe, expect, it } from "vitest";
import type { PlannedDataset } from "../evaluation-plan.js";
import { summarizeEvaluation } from "../run/evaluation-results.js";
import { renderReport } from "./render-report.js";

const dataset: PlannedDataset = {
  name: "facts",
  taskType: "QuestionAndAnswer",
  s3Uri: "s3://strata/facts.jsonl",
  metricNames: ["Builtin.Accuracy"],
  metrics: { text: ["tokenF1"], likelihood: false, classification: false, operational: true, judge: [] },
};
const summary = summarizeEvaluation(
  [
    {
      dataset,
      cases: [
        { line: 1, promptText: "Who declares war?", reference: "The Congress.", category: "powers" },
        { line: 2, promptText: "Who ratifies treaties?", reference: "The Senate." },
      ],
      results: [
        [
          { line: 1, response: "<script>alert(1)</script>", tokenF1: 0, latencyMs: 12, costUsd: 0.001 },
          { line: 2, response: "The Senate", tokenF1: 1, latencyMs: 14, costUsd: 0.001 },
        ],
        [
          { line: 1, response: "Congress", tokenF1: 1, latencyMs: 20, costUsd: 0.002 },
          { line: 2, response: "The Senate", tokenF1: 1, latencyMs: 22, costUsd: 0.002 },
        ],
      ],
    },
  ],
  ["strata.tiny-chat-v1", "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefghijkl"],
);
const html = renderReport({ title: "Evaluation base-vs-tuned", facts: [["Job", "arn:…/job"]] }, summary);

describe("the HTML report", () => {
  it("is one self-contained file: inline SVG charts, nothing fetched, no script", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain("<script");
  });

  it("shows both models side by side with the delta and verdict, and the changed example with both answers", () => {
    expect(html).toContain("Token F1 (primary)");
    expect(html).toContain('<td class="better">better</td>');
    expect(html).toContain("1 improved, 0 regressed");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Line 1</strong> — improved");
    expect(html).toContain("by category");
  });
});
