// `strata evaluations results JOB [--html FILE]`: Strata's GetEvaluationJobResults as tables — per dataset each
// model's metrics side by side with the delta and the verdict, and the examples whose result changed — and the
// job's self-contained HTML report downloaded to a file.
import { writeFileSync } from "node:fs";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { GetEvaluationJobResultsResponse } from "../../protocol/generated/strata-types.js";
import { type ApiClient, pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  type Output,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";
import { progressBar } from "../progress-bar.js";
import { s3ClientFor } from "./models-import.js";

export function fetchResults(api: ApiClient, job: string): Promise<GetEvaluationJobResultsResponse> {
  return api.call<GetEvaluationJobResultsResponse>({
    method: "GET",
    path: `/strata/evaluation-jobs/${pathLabel(job)}/results`,
  });
}

export async function waitForEvaluation(
  api: ApiClient,
  job: string,
): Promise<GetEvaluationJobResultsResponse> {
  let bar: ReturnType<typeof progressBar> | undefined;
  for (;;) {
    const results = await fetchResults(api, job);
    if (results.progress.examplesTotal > 0) {
      bar ??= progressBar(
        results.jobName,
        results.progress.examplesTotal,
        (done, total) => `${done}/${total} examples`,
      );
      bar.update(results.progress.examplesDone);
    }
    if (results.status !== "InProgress" && results.status !== "Stopping") {
      bar?.finish();
      return results;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function format(metric: string, value: number | undefined): string {
  if (value === undefined) return "-";
  if (metric === "costUsd") return `$${value.toPrecision(3)}`;
  if (metric.startsWith("latency")) return `${Math.round(value)} ms`;
  if (metric === "perplexity") return value.toFixed(2);
  return value.toFixed(4);
}

function oneLine(text: string | undefined, width = 70): string {
  const flat = (text ?? "(no answer)").replace(/\s+/g, " ").trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export function printResults(results: GetEvaluationJobResultsResponse, output: Output, json: boolean): void {
  if (json) {
    output.write(JSON.stringify(results, null, 2));
    return;
  }
  output.write(
    `${results.jobName}: ${results.status}${results.failureMessages ? ` — ${results.failureMessages.join("; ")}` : ""}`,
  );
  for (const dataset of results.datasets) {
    output.write(
      `\n${dataset.datasetName} (${dataset.taskType}, ${dataset.examples} examples, ${dataset.s3Uri})`,
    );
    const metrics = [...new Set(dataset.models.flatMap((model) => Object.keys(model.metrics)))];
    const comparison = dataset.comparison;
    const headers = [
      "METRIC",
      ...dataset.models.map((model) => model.modelIdentifier),
      ...(comparison ? ["DELTA", "VERDICT"] : []),
    ];
    const rows = metrics.map((metric) => {
      const compared = comparison?.metrics.find((entry) => entry.metric === metric);
      return [
        metric === dataset.primaryMetric ? `${metric} *` : metric,
        ...dataset.models.map((model) => format(metric, model.metrics[metric])),
        ...(comparison ? [compared ? format(metric, compared.delta) : "", compared?.verdict ?? ""] : []),
      ];
    });
    output.write(formatTable(headers, rows));
    if (comparison) {
      output.write(
        `\n${comparison.candidateModelIdentifier} is ${comparison.verdict} than ${comparison.baseModelIdentifier} on ${comparison.primaryMetric} (*); ${comparison.improvedExamples} example(s) improved, ${comparison.regressedExamples} regressed.`,
      );
      for (const example of comparison.changedExamples.slice(0, 5))
        output.write(
          `  line ${example.line} ${example.change} (${format(example.metric, example.baseScore)} → ${format(example.metric, example.candidateScore)}): ${oneLine(example.prompt, 50)}\n    base:      ${oneLine(example.baseResponse)}\n    candidate: ${oneLine(example.candidateResponse)}`,
        );
    }
  }
  if (results.reportS3Uri)
    output.write(`\nreport:  ${results.reportS3Uri}\nresults: ${results.resultsS3Uri}`);
}

export async function evaluationResultsCommand(argv: string[], { environment, output }: CommandEnvironment) {
  const { values, positionals } = parseCommandArgs(argv, { ...clientOptions, html: { type: "string" } });
  const job = positionals[0];
  if (!job)
    throw new CliError("usage: strata evaluations results JOB (name or ARN) [--html FILE] [--json]", 2);
  const config = configFromFlags(values, environment);
  const api = apiClientFor(config, values.endpoint);
  const results = await fetchResults(api, job);
  printResults(results, output, values.json === true);
  if (!values.html) return;
  if (!results.reportS3Uri)
    throw new CliError(`${results.jobName} is ${results.status}: it has no report yet`);
  const rest = results.reportS3Uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const { client } = await s3ClientFor(config, api);
  try {
    const object = await client.send(
      new GetObjectCommand({ Bucket: rest.slice(0, slash), Key: rest.slice(slash + 1) }),
    );
    writeFileSync(values.html, (await object.Body?.transformToString()) ?? "");
  } finally {
    client.destroy();
  }
  if (!values.json) output.write(`Wrote the report to ${values.html}.`);
}
