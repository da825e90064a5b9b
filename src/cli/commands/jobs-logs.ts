// `strata jobs logs JOB [--follow]`: a job's metrics, one line per step and per evaluation, from the extension
// API (GetModelCustomizationJobProgress). With --follow it polls until the job ends, with a live progress bar on
// stderr (step, loss, tokens/s, ETA) on terminals, and exits non-zero when the job does not complete.
import type {
  GetModelCustomizationJobProgressResponse,
  MetricPoint,
} from "../../protocol/generated/strata-types.js";
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
import { progressBar } from "../progress-bar.js";

function metricLine(point: MetricPoint): string {
  const common = `step ${String(point.step).padStart(5)}  epoch ${point.epoch}`;
  if (point.kind === "validation")
    return `${common}  validation_loss ${point.loss.toFixed(4)}  perplexity ${point.perplexity.toFixed(2)}`;
  const rate = point.learningRate === undefined ? "" : `  lr ${point.learningRate.toExponential(2)}`;
  const speed = point.tokensPerSecond === undefined ? "" : `  ${point.tokensPerSecond.toFixed(0)} tok/s`;
  return `${common}  training_loss ${point.loss.toFixed(4)}  perplexity ${point.perplexity.toFixed(2)}${rate}${speed}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

async function progressOf(
  api: ApiClient,
  job: string,
  afterStep: number,
): Promise<GetModelCustomizationJobProgressResponse> {
  return api.call<GetModelCustomizationJobProgressResponse>({
    method: "GET",
    path: `/strata/model-customization-jobs/${pathLabel(job)}/progress`,
    query: { afterStep: String(afterStep) },
  });
}

/** Prints metrics as they come until the job ends; throws when it did not complete. */
export async function followJob(api: ApiClient, job: string, output: Output, json: boolean): Promise<void> {
  let afterStep = -1;
  let bar: ReturnType<typeof progressBar> | undefined;
  let latest: GetModelCustomizationJobProgressResponse;
  const seen = new Set<string>();
  for (;;) {
    latest = await progressOf(api, job, afterStep);
    for (const point of latest.metrics) {
      const key = `${point.kind}:${point.step}`;
      if (seen.has(key)) continue;
      seen.add(key);
      output.write(json ? JSON.stringify(point) : metricLine(point));
    }
    // Re-read the last step next time: its validation point may arrive after its training point.
    afterStep = Math.max(afterStep, (latest.metrics.at(-1)?.step ?? 0) - 1);
    const current = latest;
    if (current.totalSteps !== undefined) {
      bar ??= progressBar(current.jobName, current.totalSteps, (done, total) =>
        [
          `step ${done}/${total}`,
          current.trainingLoss === undefined ? "" : `loss ${current.trainingLoss.toFixed(4)}`,
          current.tokensPerSecond === undefined ? "" : `${current.tokensPerSecond.toFixed(0)} tok/s`,
          current.etaSeconds === undefined ? "" : `ETA ${formatSeconds(current.etaSeconds)}`,
        ]
          .filter(Boolean)
          .join("  "),
      );
      bar.update(current.step);
    }
    if (current.status !== "InProgress" && current.status !== "Stopping") break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (latest.status === "Completed") bar?.finish();
  else if (process.stderr.isTTY) process.stderr.write("\n");
  const ending =
    latest.status === "Completed"
      ? `Completed: ${latest.outputModelArn ?? ""}`
      : `${latest.status}${latest.failureMessage ? `: ${latest.failureMessage}` : ""}`;
  output.write(
    json
      ? JSON.stringify({
          status: latest.status,
          outputModelArn: latest.outputModelArn,
          failureMessage: latest.failureMessage,
        })
      : ending,
  );
  if (latest.status !== "Completed") throw new CliError(`job ${latest.jobName} ended ${latest.status}`);
}

export async function jobLogsCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { ...clientOptions, follow: { type: "boolean" } });
  const job = positionals[0];
  if (!job) throw new CliError("usage: strata jobs logs JOB [--follow] [--json]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  if (values.follow) return followJob(api, job, output, values.json === true);
  const progress = await progressOf(api, job, -1);
  for (const point of progress.metrics) output.write(values.json ? JSON.stringify(point) : metricLine(point));
  if (!values.json)
    output.write(
      `${progress.status} (${progress.phase}) step ${progress.step}/${progress.totalSteps ?? "?"}${progress.failureMessage ? `: ${progress.failureMessage}` : ""}`,
    );
}
