// The self-contained HTML report of an evaluation: one file, inline CSS and SVG, nothing fetched. Per dataset:
// each model's metrics side by side (bar charts and a table with deltas and verdicts), the metrics per category,
// and — with two models — the examples whose result changed, each with both answers.
import type { SummaryMetricKey } from "../evaluation-plan.js";
import type { ChangedExample, ModelComparison } from "../run/compare-models.js";
import type { DatasetResults, EvaluationSummary } from "../run/evaluation-results.js";
import { escapeHtml } from "./html-escape.js";
import { formatDelta, formatMetric, isUnitScale, metricLabel } from "./metric-labels.js";
import { type BarGroup, seriesColors, svgBarChart } from "./svg-bar-chart.js";

export interface ReportHeader {
  title: string;
  /** Facts shown under the title (job ARN, creation time, …). */
  facts: [string, string][];
}

const style = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1a202c;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #cbd5e0}h3{font-size:1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #e2e8f0;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f7fafc}td.n{text-align:right;font-variant-numeric:tabular-nums}
.better{color:#276749;font-weight:600}.worse{color:#9b2c2c;font-weight:600}.same{color:#4a5568}
.example{border:1px solid #e2e8f0;border-radius:6px;padding:.6rem .9rem;margin:.7rem 0}
.example.improved{border-left:5px solid #38a169}.example.regressed{border-left:5px solid #e53e3e}
.answer{white-space:pre-wrap;background:#f7fafc;padding:.3rem .5rem;border-radius:4px;margin:.2rem 0 .5rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}`;

function charts(dataset: DatasetResults): string {
  const names = dataset.models.map((model) => model.modelIdentifier);
  const metrics = [
    ...new Set(dataset.models.flatMap((model) => Object.keys(model.metrics))),
  ] as SummaryMetricKey[];
  const group = (metric: SummaryMetricKey): BarGroup => ({
    label: metricLabel(metric),
    values: dataset.models.map((model) => model.metrics[metric]),
    ...(isUnitScale(metric) ? { scaleMax: 1 } : {}),
    format: (value) => formatMetric(metric, value),
  });
  const quality = metrics.filter(isUnitScale).map(group);
  const open = metrics.filter((metric) => !isUnitScale(metric)).map(group);
  return `<div class="charts">${quality.length > 0 ? svgBarChart(quality, names, `${dataset.datasetName}: quality (higher is better)`) : ""}${open.length > 0 ? svgBarChart(open, names, `${dataset.datasetName}: lower is better`) : ""}</div>`;
}

function metricTable(dataset: DatasetResults): string {
  const comparison = dataset.comparison;
  const metrics = [
    ...new Set(dataset.models.flatMap((model) => Object.keys(model.metrics))),
  ] as SummaryMetricKey[];
  const header = dataset.models.map(
    (model, index) =>
      `<th><span class="swatch" style="background:${seriesColors[index % seriesColors.length]}"></span>${escapeHtml(model.modelIdentifier)}</th>`,
  );
  const rows = metrics.map((metric) => {
    const compared = comparison?.metrics.find((entry) => entry.metric === metric);
    const values = dataset.models.map((model) => {
      const value = model.metrics[metric];
      return `<td class="n">${value === undefined ? "–" : escapeHtml(formatMetric(metric, value))}</td>`;
    });
    const delta = compared
      ? `<td class="n">${escapeHtml(formatDelta(metric, compared.delta))}</td><td class="${compared.verdict}">${compared.verdict}</td>`
      : comparison
        ? "<td></td><td></td>"
        : "";
    const primary = metric === dataset.primaryMetric ? " (primary)" : "";
    return `<tr><th>${escapeHtml(metricLabel(metric) + primary)}</th>${values.join("")}${delta}</tr>`;
  });
  const failed = dataset.models.map((model) => `<td class="n">${model.failedExamples}</td>`);
  return `<table><tr><th>Metric</th>${header.join("")}${comparison ? "<th>Δ (2nd − 1st)</th><th>2nd model</th>" : ""}</tr>${rows.join("")}<tr><th>Failed examples</th>${failed.join("")}${comparison ? "<td></td><td></td>" : ""}</tr></table>`;
}

function categoryTable(dataset: DatasetResults): string {
  const categories = dataset.models[0]?.categories ?? [];
  if (categories.length === 0) return "";
  const metric = dataset.primaryMetric;
  const rows = categories.map((category) => {
    const values = dataset.models.map((model) => {
      const value = model.categories.find((entry) => entry.category === category.category)?.metrics[metric];
      return `<td class="n">${value === undefined ? "–" : escapeHtml(formatMetric(metric, value))}</td>`;
    });
    return `<tr><th>${escapeHtml(category.category)}</th><td class="n">${category.examples}</td>${values.join("")}</tr>`;
  });
  const header = dataset.models.map((model) => `<th>${escapeHtml(model.modelIdentifier)}</th>`).join("");
  return `<h3>${escapeHtml(metricLabel(metric))} by category</h3><table><tr><th>Category</th><th>Examples</th>${header}</tr>${rows.join("")}</table>`;
}

function changedExample(example: ChangedExample, comparison: ModelComparison): string {
  const answer = (label: string, text: string | undefined) =>
    `<div><strong>${escapeHtml(label)}</strong></div><div class="answer">${text === undefined ? "<em>no answer</em>" : escapeHtml(text)}</div>`;
  return `<div class="example ${example.change}"><div><strong>Line ${example.line}</strong> — ${example.change}: ${escapeHtml(metricLabel(example.metric))} ${escapeHtml(formatMetric(example.metric, example.baseScore))} → ${escapeHtml(formatMetric(example.metric, example.candidateScore))}${example.category ? ` · ${escapeHtml(example.category)}` : ""}</div>${answer("Prompt", example.prompt)}${example.reference === undefined ? "" : answer("Reference", example.reference)}${answer(comparison.baseModelIdentifier, example.baseResponse)}${answer(comparison.candidateModelIdentifier, example.candidateResponse)}</div>`;
}

function changedExamples(comparison: ModelComparison | undefined, limit: number): string {
  if (!comparison) return "";
  const shown = comparison.changedExamples.slice(0, limit);
  const more =
    comparison.changedExamples.length > shown.length
      ? `<p>${comparison.changedExamples.length - shown.length} more in results.json.</p>`
      : "";
  return `<h3>Examples whose result changed: ${comparison.improvedExamples} improved, ${comparison.regressedExamples} regressed</h3>${shown.map((example) => changedExample(example, comparison)).join("")}${more}`;
}

function datasetSection(dataset: DatasetResults): string {
  const verdict = dataset.comparison
    ? `<p>On the primary metric (${escapeHtml(metricLabel(dataset.primaryMetric))}) ${escapeHtml(dataset.comparison.candidateModelIdentifier)} is <span class="${dataset.comparison.verdict}">${dataset.comparison.verdict}</span> than ${escapeHtml(dataset.comparison.baseModelIdentifier)}.</p>`
    : "";
  return `<section><h2>${escapeHtml(dataset.datasetName)} — ${escapeHtml(dataset.taskType)}, ${dataset.examples} examples</h2><p>${escapeHtml(dataset.s3Uri)} · metrics requested: ${escapeHtml(dataset.metricNames.join(", "))}</p>${verdict}${charts(dataset)}${metricTable(dataset)}${categoryTable(dataset)}${changedExamples(dataset.comparison, 50)}</section>`;
}

const method =
  "Exact match and token F1 as the SQuAD evaluation script computes them; ROUGE-L F1 on the longest common subsequence (rouge-score's tokens, no stemming); " +
  "BLEU-4 over the whole dataset as sacrebleu computes it (13a tokens, exp smoothing); loss and perplexity of each reference given its prompt, per token over all references; " +
  "accuracy and macro-F1 on the label each answer names; latency p50/p99 by nearest rank; cost at the usage ledger's prices. " +
  "An example a model failed on scores 0 on the quality metrics.";

export function renderReport(header: ReportHeader, summary: EvaluationSummary): string {
  const facts = header.facts
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(header.title)}</title><style>${style}</style></head><body><h1>${escapeHtml(header.title)}</h1><dl>${facts}</dl>${summary.datasets.map(datasetSection).join("")}<h2>How the metrics are computed</h2><p>${escapeHtml(method)}</p></body></html>\n`;
}
