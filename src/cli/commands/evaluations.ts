// `strata evaluations create|list|get|stop|results`: evaluation jobs through the Bedrock API
// (CreateEvaluationJob, ListEvaluationJobs, GetEvaluationJob, StopEvaluationJob) and Strata's results
// extension. Jobs are named by ARN or by name (Bedrock's Get and Stop take ARNs: a name is looked up first).
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
import { createEvaluationCommand } from "./evaluations-create.js";
import { evaluationResultsCommand, fetchResults } from "./evaluations-results.js";

interface JobSummary {
  jobArn: string;
  jobName: string;
  status: string;
  creationTime: string;
  evaluationTaskTypes: string[];
  modelIdentifiers?: string[];
}

async function listEvaluations(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    status: { type: "string" },
    "name-contains": { type: "string" },
  });
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const jobs: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.call<{ jobSummaries?: JobSummary[]; nextToken?: string }>({
      method: "GET",
      path: "/evaluation-jobs",
      query: { statusEquals: values.status, nameContains: values["name-contains"], nextToken },
    });
    jobs.push(...(page.jobSummaries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  if (values.json) {
    output.write(JSON.stringify(jobs, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["JOB", "STATUS", "TASKS", "MODELS", "CREATED"],
      jobs.map((job) => [
        job.jobName,
        job.status,
        job.evaluationTaskTypes.join(","),
        (job.modelIdentifiers ?? []).join(" vs "),
        job.creationTime,
      ]),
    ),
  );
}

/** Bedrock's Get and Stop take the ARN; the results extension also answers to the name. */
async function arnOf(api: ReturnType<typeof apiClientFor>, job: string): Promise<string> {
  return job.startsWith("arn:") ? job : (await fetchResults(api, job)).jobArn;
}

async function getEvaluation(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const job = positionals[0];
  if (!job) throw new CliError("usage: strata evaluations get JOB (name or ARN) [--json]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const arn = await arnOf(api, job);
  const details = await api.call<Record<string, unknown>>({
    method: "GET",
    path: `/evaluation-jobs/${pathLabel(arn)}`,
  });
  const { progress } = await fetchResults(api, arn);
  if (values.json) {
    output.write(JSON.stringify({ ...details, strata: { progress } }, null, 2));
    return;
  }
  const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const keys = [
    "jobName",
    "jobArn",
    "status",
    "failureMessages",
    "jobDescription",
    "evaluationConfig",
    "inferenceConfig",
    "outputDataConfig",
    "creationTime",
    "lastModifiedTime",
  ];
  output.write(
    [
      ...keys
        .filter((key) => details[key] !== undefined)
        .map((key) => `${key.padEnd(18)} ${show(details[key])}`),
      `${"progress".padEnd(18)} ${progress.examplesDone}/${progress.examplesTotal} examples`,
    ].join("\n"),
  );
}

async function stopEvaluation(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const job = positionals[0];
  if (!job) throw new CliError("usage: strata evaluations stop JOB (name or ARN)", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const arn = await arnOf(api, job);
  await api.call({ method: "POST", path: `/evaluation-job/${pathLabel(arn)}/stop` });
  output.write(values.json ? JSON.stringify({ stopping: arn }) : `Stopping ${job}.`);
}

export async function evaluationsCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "create") return createEvaluationCommand(rest, environment);
  if (subcommand === "list") return listEvaluations(rest, environment);
  if (subcommand === "get") return getEvaluation(rest, environment);
  if (subcommand === "stop") return stopEvaluation(rest, environment);
  if (subcommand === "results") return evaluationResultsCommand(rest, environment);
  throw new CliError("usage: strata evaluations create|list|get|stop|results …", 2);
}
