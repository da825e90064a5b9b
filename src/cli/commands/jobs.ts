// `strata jobs create|list|get|stop|logs`: model customization jobs through the Bedrock API
// (CreateModelCustomizationJob, List…, Get…, Stop…) and Strata's progress extension for `logs`.
import { pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";
import { createJobCommand } from "./jobs-create.js";
import { jobLogsCommand } from "./jobs-logs.js";

interface JobSummary {
  jobName: string;
  status: string;
  customizationType?: string;
  baseModelArn: string;
  creationTime: string;
  customModelName?: string;
}

async function listJobs(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    status: { type: "string" },
    "name-contains": { type: "string" },
  });
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const jobs: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.call<{ modelCustomizationJobSummaries: JobSummary[]; nextToken?: string }>({
      method: "GET",
      path: "/model-customization-jobs",
      query: { statusEquals: values.status, nameContains: values["name-contains"], nextToken },
    });
    jobs.push(...page.modelCustomizationJobSummaries);
    nextToken = page.nextToken;
  } while (nextToken);
  if (values.json) {
    output.write(JSON.stringify(jobs, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["JOB", "STATUS", "TYPE", "BASE MODEL", "CUSTOM MODEL", "CREATED"],
      jobs.map((job) => [
        job.jobName,
        job.status,
        (job.customizationType ?? "").toLowerCase().replaceAll("_", "-"),
        job.baseModelArn.split("/").at(-1) ?? "",
        job.customModelName ?? "-",
        job.creationTime,
      ]),
    ),
  );
}

async function getJob(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const job = positionals[0];
  if (!job) throw new CliError("usage: strata jobs get JOB (name or ARN) [--json]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const details = await api.call<Record<string, unknown>>({
    method: "GET",
    path: `/model-customization-jobs/${pathLabel(job)}`,
  });
  if (values.json) {
    output.write(JSON.stringify(details, null, 2));
    return;
  }
  const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const keys = [
    "jobName",
    "jobArn",
    "status",
    "failureMessage",
    "customizationType",
    "baseModelArn",
    "outputModelName",
    "outputModelArn",
    "hyperParameters",
    "trainingDataConfig",
    "validationDataConfig",
    "outputDataConfig",
    "trainingMetrics",
    "validationMetrics",
    "creationTime",
    "endTime",
  ];
  output.write(
    keys
      .filter((key) => details[key] !== undefined)
      .map((key) => `${key.padEnd(22)} ${show(details[key])}`)
      .join("\n"),
  );
}

async function stopJob(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const job = positionals[0];
  if (!job) throw new CliError("usage: strata jobs stop JOB", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  await api.call({ method: "POST", path: `/model-customization-jobs/${pathLabel(job)}/stop` });
  output.write(values.json ? JSON.stringify({ stopping: job }) : `Stopping ${job}.`);
}

export async function jobsCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "create") return createJobCommand(rest, environment);
  if (subcommand === "list") return listJobs(rest, environment);
  if (subcommand === "get") return getJob(rest, environment);
  if (subcommand === "stop") return stopJob(rest, environment);
  if (subcommand === "logs") return jobLogsCommand(rest, environment);
  throw new CliError("usage: strata jobs create|list|get|stop|logs …", 2);
}
