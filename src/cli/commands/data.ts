// `strata data validate|advise <file | s3://…>`: the dataset checks of model customization, through Strata's
// extension API (ValidateDataset, AdviseCustomizationMethod) — the same report CreateModelCustomizationJob
// applies. A local file is uploaded first; its problems are printed under the name the user gave.
import type {
  AdviseCustomizationMethodResponse,
  DatasetReport,
  ValidateDatasetResponse,
} from "../../protocol/generated/strata-types.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { datasetLocation } from "./data-dataset-location.js";

const methodLabels: Record<string, string> = {
  INSTRUCTION_FINE_TUNING: "instruction fine-tuning",
  CONTINUED_PRE_TRAINING: "continued pre-training",
  TRANSFER_LEARNING: "transfer learning",
};
const label = (method: string) => methodLabels[method] ?? method;

const validateUsage =
  "usage: strata data validate <file.jsonl | s3://…> [--base-model ID] [--validation] [--json]";
const adviseUsage =
  'usage: strata data advise <file.jsonl | s3://…> [--goal "what the model should learn"] [--json]';

export function formatDatasetReport(report: DatasetReport): string {
  const lines = report.problems.map(
    (problem) =>
      `${problem.file}:${problem.line}${problem.field ? ` ${problem.field}` : ""}: ${problem.reason}`,
  );
  if (report.omittedProblems > 0) lines.push(`… and ${report.omittedProblems} more problem(s)`);
  const summary = `${report.records} record(s), ${report.format} format, ${report.bytes} bytes, ${report.stats.characters} characters${report.stats.maxRecordTokens === undefined ? "" : `, longest record ${report.stats.maxRecordTokens} tokens`}`;
  return report.valid
    ? `valid: ${summary}`
    : [...lines, `invalid: ${report.problems.length + report.omittedProblems} problem(s); ${summary}`].join(
        "\n",
      );
}

async function validate(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    "base-model": { type: "string" },
    validation: { type: "boolean" },
  });
  const source = positionals[0];
  if (!source) throw new CliError(validateUsage, 2);
  const config = configFromFlags(values, environment);
  const api = apiClientFor(config, values.endpoint);
  const location = await datasetLocation(config, api, source);
  const { report } = await api.call<ValidateDatasetResponse>({
    method: "POST",
    path: "/strata/datasets/validate",
    body: {
      s3Uri: location.s3Uri,
      ...(values["base-model"] ? { baseModelIdentifier: values["base-model"] } : {}),
      ...(values.validation ? { validation: true } : {}),
    },
  });
  // Name problems by the file the user gave, not the upload's key.
  for (const problem of report.problems)
    if (location.localPath && problem.file === location.s3Uri) problem.file = location.localPath;
  output.write(values.json ? JSON.stringify(report, null, 2) : formatDatasetReport(report));
  if (!report.valid) throw new CliError("the dataset is not valid", 1);
}

async function advise(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { ...clientOptions, goal: { type: "string" } });
  const source = positionals[0];
  if (!source) throw new CliError(adviseUsage, 2);
  const config = configFromFlags(values, environment);
  const api = apiClientFor(config, values.endpoint);
  const location = await datasetLocation(config, api, source);
  const advice = await api.call<AdviseCustomizationMethodResponse>({
    method: "POST",
    path: "/strata/datasets/advise",
    body: { s3Uri: location.s3Uri, ...(values.goal ? { goal: values.goal } : {}) },
  });
  if (values.json) {
    output.write(JSON.stringify(advice, null, 2));
    return;
  }
  const lines = [
    advice.recommendedMethod
      ? `recommended: ${label(advice.recommendedMethod)} (strata jobs create ${advice.recommendedMethod === "TRANSFER_LEARNING" ? "--method transfer-learning" : `--type ${(advice.customizationType ?? "").toLowerCase().replaceAll("_", "-")}`})`
      : "no method fits this data as it is",
    `why: ${advice.reason} (${advice.recordsExamined} record(s) examined, format ${advice.detectedFormat})`,
    ...advice.methods
      .filter((method) => !method.fits)
      .map((method) => `${label(method.method)} would need ${method.dataNeeded}`),
  ];
  output.write(lines.join("\n"));
}

export async function dataCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "validate") return validate(rest, environment);
  if (subcommand === "advise") return advise(rest, environment);
  throw new CliError("usage: strata data validate|advise …", 2);
}
