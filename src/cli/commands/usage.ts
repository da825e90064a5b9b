// `strata usage [--from DAY --to DAY] [--model M] [--json]`: GetUsageReport (GET /strata/usage/report) as tables —
// invocations per model and UTC day, training jobs, reservations, totals — each priced here and at Bedrock's
// published prices. Days are UTC and --to is inclusive (the API's `to` is exclusive: the day after).
import type {
  BedrockEquivalentEstimate,
  GetUsageReportResponse,
} from "../../protocol/generated/strata-types.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";
import { formatUsd } from "./compare-columns.js";

const usage = `usage: strata usage [--from DAY] [--to DAY] [--model ID] [--json]
  DAY is YYYY-MM-DD (UTC; --to is inclusive) or an ISO 8601 time. Default: the last 30 days.`;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 24 * 3_600_000;

/** A day or an ISO time as the API's timestamp; an inclusive end day becomes the start of the next. */
export function timeOf(text: string, flag: string, endOfDay: boolean): string {
  const isDay = dayPattern.test(text);
  const date = new Date(isDay ? `${text}T00:00:00.000Z` : text);
  const valid = !Number.isNaN(date.getTime()) && (!isDay || date.toISOString().startsWith(text));
  if (!valid || (!isDay && !/^\d{4}-\d{2}-\d{2}T/.test(text)))
    throw new CliError(`${flag} must be a day (YYYY-MM-DD) or an ISO 8601 time, not ${text}\n${usage}`, 2);
  return new Date(date.getTime() + (isDay && endOfDay ? dayMs : 0)).toISOString();
}

export async function usageCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    from: { type: "string" },
    to: { type: "string" },
    model: { type: "string" },
  });
  if (positionals.length > 0) throw new CliError(usage, 2);
  const query = {
    from: values.from === undefined ? undefined : timeOf(values.from, "--from", false),
    to: values.to === undefined ? undefined : timeOf(values.to, "--to", true),
    modelId: values.model,
  };
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const report = await api.call<GetUsageReportResponse>({
    method: "GET",
    path: "/strata/usage/report",
    query,
  });
  if (values.json) {
    output.write(JSON.stringify(report, null, 2));
    return;
  }
  output.write(reportText(report));
}

function equivalent(estimate: BedrockEquivalentEstimate): string {
  return estimate.costUsd === undefined ? "n/a" : formatUsd(estimate.costUsd);
}

function section(title: string, table: string | undefined): string {
  return `${title}\n${table ?? "(none)"}\n`;
}

export function reportText(report: GetUsageReportResponse): string {
  const { totals } = report;
  const from = String(report.from);
  const to = String(report.to);
  const parts = [
    `Usage and cost from ${from} to ${to} (UTC; Bedrock = the same work at Amazon Bedrock's published prices)\n`,
    section(
      "Invocations per model and day",
      report.models.length === 0
        ? undefined
        : formatTable(
            [
              "DAY",
              "MODEL",
              "BILLING",
              "CALLS",
              "ERRORS",
              "IN",
              "OUT",
              "P50 ms",
              "P90 ms",
              "P99 ms",
              "COST",
              "BEDROCK",
            ],
            report.models.map((row) => [
              row.day,
              row.modelId,
              row.billing,
              String(row.invocations),
              String(row.errors),
              String(row.inputTokens),
              String(row.outputTokens),
              String(row.latencyMs.p50),
              String(row.latencyMs.p90),
              String(row.latencyMs.p99),
              formatUsd(row.costUsd),
              equivalent(row.bedrockEquivalent),
            ]),
          ),
    ),
    section(
      "Training jobs",
      report.trainingJobs.length === 0
        ? undefined
        : formatTable(
            ["KIND", "JOB", "STATUS", "MODEL", "TRAINED TOKENS", "WALL s", "COST", "BEDROCK"],
            report.trainingJobs.map((job) => [
              job.jobKind,
              job.jobName,
              job.status,
              job.outputModelId ?? "-",
              job.trainedTokens === undefined ? "-" : String(job.trainedTokens),
              job.wallSeconds.toFixed(0),
              formatUsd(job.costUsd),
              equivalent(job.bedrockEquivalent),
            ]),
          ),
    ),
    section(
      "Reservations",
      report.reservations.length === 0
        ? undefined
        : formatTable(
            ["DAY", "PROVISIONED MODEL", "TERM", "MU-HOURS", "COST", "BEDROCK"],
            report.reservations.map((row) => [
              row.day,
              row.provisionedModelArn,
              row.commitmentTerm,
              row.unitHours.toFixed(3),
              formatUsd(row.costUsd),
              equivalent(row.bedrockEquivalent),
            ]),
          ),
    ),
    section(
      "Totals",
      formatTable(
        ["", "HERE", "BEDROCK"],
        [
          ["invocations", `${totals.invocations} (${totals.inputTokens} in, ${totals.outputTokens} out)`, ""],
          ["invocation cost", formatUsd(totals.invocationCostUsd), ""],
          ["training cost", formatUsd(totals.trainingCostUsd), ""],
          ["reservation cost", formatUsd(totals.reservationCostUsd), ""],
          ["total", formatUsd(totals.totalCostUsd), formatUsd(totals.bedrockEquivalentCostUsd)],
        ],
      ),
    ),
  ];
  if (totals.withoutBedrockEquivalent.length > 0)
    parts.push(
      `Not in the Bedrock total:\n${totals.withoutBedrockEquivalent.map((item) => `  - ${item}`).join("\n")}\n`,
    );
  parts.push(`Notes:\n${report.notes.map((note) => `  - ${note}`).join("\n")}`);
  return parts.join("\n");
}
