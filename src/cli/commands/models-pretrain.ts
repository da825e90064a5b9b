// `strata models pretrain NAME`: a pretraining job on the server (random weights → trained on the built-in
// corpus → quantized → local.NAME), followed with a live line (step, loss, tokens/s, ETA, held-out perplexity)
// until it ends, unless --detach. `strata models pretraining list|get JOB|stop JOB` looks after the jobs.
import type {
  CreatePretrainingJobRequest,
  CreatePretrainingJobResponse,
  GetPretrainingJobResponse,
  ListPretrainingJobsResponse,
} from "../../protocol/generated/strata-types.js";
import { type ApiClient, pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";

const usage =
  "usage: strata models pretrain NAME [--job-name NAME] [--preset tiny|small] [--steps N] [--rows-per-step N] [--sequence-length N] [--learning-rate X] [--warmup-steps N] [--seed N] [--quantization q8_0|f16|f32] [--held-out-characters N] [--detach] [--json]";

function numberFlag(name: string, value: string | undefined, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || (integer && !Number.isInteger(number)))
    throw new CliError(`--${name} must be ${integer ? "a whole number" : "a number"}, not ${value}`, 2);
  return number;
}

export async function pretrainModelCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    "job-name": { type: "string" },
    preset: { type: "string" },
    steps: { type: "string" },
    "rows-per-step": { type: "string" },
    "sequence-length": { type: "string" },
    "learning-rate": { type: "string" },
    "warmup-steps": { type: "string" },
    seed: { type: "string" },
    quantization: { type: "string" },
    "held-out-characters": { type: "string" },
    detach: { type: "boolean" },
  });
  const modelName = positionals[0];
  if (!modelName) throw new CliError(usage, 2);
  const optional = {
    preset: values.preset,
    steps: numberFlag("steps", values.steps),
    rowsPerStep: numberFlag("rows-per-step", values["rows-per-step"]),
    sequenceLength: numberFlag("sequence-length", values["sequence-length"]),
    learningRate: numberFlag("learning-rate", values["learning-rate"], false),
    warmupSteps: numberFlag("warmup-steps", values["warmup-steps"]),
    seed: numberFlag("seed", values.seed),
    quantization: values.quantization?.toLowerCase(),
    heldOutCharacters: numberFlag("held-out-characters", values["held-out-characters"]),
  };
  const request = {
    jobName: values["job-name"] ?? `pretrain-${modelName}-${Date.now()}`,
    modelName,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  } as CreatePretrainingJobRequest;
  const client = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const { jobArn } = await client.call<CreatePretrainingJobResponse>({
    method: "POST",
    path: "/strata/pretraining-jobs",
    body: request,
  });
  if (values.detach) {
    output.write(values.json ? JSON.stringify({ jobArn }, null, 2) : `Started ${jobArn}`);
    return;
  }
  const job = await follow(client, jobArn);
  if (values.json) output.write(JSON.stringify(job, null, 2));
  else output.write(describeOutcome(job));
  if (job.status !== "Completed")
    throw new CliError(
      `pretraining job ${job.jobName} ended ${job.status}${job.failureMessage ? `: ${job.failureMessage}` : ""}`,
      1,
    );
}

/** Polls the job until it ends, drawing one status line on a terminal. */
async function follow(client: ApiClient, jobArn: string): Promise<GetPretrainingJobResponse> {
  const terminal = process.stderr.isTTY === true;
  const started = Date.now();
  for (;;) {
    const job = await client.call<GetPretrainingJobResponse>({
      method: "GET",
      path: `/strata/pretraining-jobs/${pathLabel(jobArn)}`,
    });
    if (terminal) process.stderr.write(`\r\x1b[K${statusLine(job, started)}`);
    if (!["InProgress", "Stopping"].includes(job.status)) {
      if (terminal) process.stderr.write("\n");
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function statusLine(job: GetPretrainingJobResponse, startedAt: number): string {
  const fraction = job.steps > 0 ? job.step / job.steps : 0;
  const width = 24;
  const bar = `[${"#".repeat(Math.round(fraction * width)).padEnd(width, ".")}]`;
  const elapsed = (Date.now() - startedAt) / 1000;
  const eta =
    job.step > 0 && fraction < 1 ? `ETA ${formatSeconds((elapsed / fraction) * (1 - fraction))}` : "";
  const perplexity = job.heldOutPerplexity?.at(-1);
  return [
    `${job.jobName} ${job.phase ?? ""}`,
    bar,
    `step ${job.step}/${job.steps}`,
    job.loss !== undefined ? `loss ${job.loss.toFixed(3)}` : "",
    job.tokensPerSecond !== undefined ? `${Math.round(job.tokensPerSecond)} tok/s` : "",
    perplexity ? `held-out ppl ${perplexity.perplexity.toFixed(1)}` : "",
    eta,
  ]
    .filter(Boolean)
    .join("  ");
}

function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0
    ? `${minutes}m${Math.round(seconds % 60)
        .toString()
        .padStart(2, "0")}s`
    : `${Math.round(seconds)}s`;
}

function describeOutcome(job: GetPretrainingJobResponse): string {
  if (job.status !== "Completed")
    return `${job.jobName}: ${job.status}${job.failureMessage ? ` — ${job.failureMessage}` : ""}`;
  const curve = job.heldOutPerplexity ?? [];
  return [
    `Pretrained ${job.modelId}: ${(job.parameterCount ?? 0).toLocaleString("en-US")} parameters, ${job.steps} steps, ${(job.tokensSeen ?? 0).toLocaleString("en-US")} tokens seen`,
    `held-out perplexity: ${curve.map((point) => `step ${point.step} ${point.perplexity.toFixed(1)}`).join(", ")}; shipped file ${job.shippedPerplexity?.toFixed(1) ?? "-"}`,
  ].join("\n");
}

export async function pretrainingJobsCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const [subcommand, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(rest, clientOptions);
  const client = apiClientFor(configFromFlags(values, environment), values.endpoint);
  if (subcommand === "list") {
    const { jobs } = await client.call<ListPretrainingJobsResponse>({
      method: "GET",
      path: "/strata/pretraining-jobs",
    });
    if (values.json) return void output.write(JSON.stringify(jobs, null, 2));
    output.write(
      formatTable(
        ["JOB", "MODEL", "STATUS", "STEP", "HELD-OUT PPL"],
        jobs.map((job) => [
          job.jobName,
          job.modelId,
          job.status,
          `${job.step}/${job.steps}`,
          job.heldOutPerplexity?.at(-1)?.perplexity.toFixed(1) ?? "-",
        ]),
      ),
    );
    return;
  }
  const identifier = positionals[0];
  if ((subcommand === "get" || subcommand === "stop") && identifier) {
    const path = `/strata/pretraining-jobs/${pathLabel(identifier)}`;
    if (subcommand === "stop") {
      await client.call({ method: "POST", path: `${path}/stop` });
      return void output.write(`Stopping ${identifier}`);
    }
    const job = await client.call<GetPretrainingJobResponse>({ method: "GET", path });
    output.write(values.json ? JSON.stringify(job, null, 2) : describeOutcome(job));
    return;
  }
  throw new CliError("usage: strata models pretraining list | get JOB | stop JOB [--json]", 2);
}
