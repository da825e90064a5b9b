// `strata jobs create --method transfer-learning --base-model ID --training-data FILE|s3://… [--validation-data …]
// [--test-data …]`: Strata's CreateTransferLearningJob (local files are uploaded first). `--follow` shows the
// epochs as the job trains its head(s), then the held-out evaluation against both baselines.
import type {
  CreateTransferLearningJobResponse,
  GetTransferLearningJobResponse,
} from "../../protocol/generated/strata-types.js";
import { formatEvaluation } from "../../transfer-learning/evaluation/format-evaluation.js";
import { type ApiClient, pathLabel } from "../api-client.js";
import type { CommandEnvironment } from "../command-context.js";
import { apiClientFor, configFromFlags } from "../command-context.js";
import { datasetLocation } from "./data-dataset-location.js";
import { followJob } from "./jobs-logs.js";

export interface TransferLearningJobFlags {
  [flag: string]: string | boolean | string[] | undefined;
  "base-model": string;
  "training-data": string;
  "validation-data"?: string;
  "test-data"?: string;
  name?: string;
  "model-name"?: string;
  output?: string;
  endpoint?: string;
  follow?: boolean;
  json?: boolean;
}

export async function createTransferLearningJob(
  values: TransferLearningJobFlags,
  hyperParameters: Record<string, string>,
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const flags = Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string | boolean] => !Array.isArray(entry[1])),
  );
  const config = configFromFlags(flags, environment);
  const api = apiClientFor(config, values.endpoint);
  const located = async (source: string | undefined) =>
    source ? (await datasetLocation(config, api, source)).s3Uri : undefined;
  const training = (await located(values["training-data"])) ?? "";
  const validation = await located(values["validation-data"]);
  const test = await located(values["test-data"]);
  const jobName = values.name ?? `transfer-learning-${Date.now()}`;
  const { jobArn } = await api.call<CreateTransferLearningJobResponse>({
    method: "POST",
    path: "/strata/transfer-learning-jobs",
    body: {
      jobName,
      customModelName: values["model-name"] ?? jobName.replace(/[^0-9a-zA-Z_-]/g, "-"),
      baseModelIdentifier: values["base-model"],
      trainingDataConfig: { s3Uri: training },
      ...(validation ? { validationDataConfig: { s3Uri: validation } } : {}),
      ...(test ? { testDataConfig: { s3Uri: test } } : {}),
      outputDataConfig: { s3Uri: values.output ?? "s3://strata/customization-output/" },
      hyperParameters,
    },
  });
  if (values.json && !values.follow) output.write(JSON.stringify({ jobArn, jobName }, null, 2));
  else output.write(`Created ${jobName} (${jobArn})`);
  if (!values.follow) return;
  await followJob(api, jobArn, output, values.json === true);
  const job = await transferLearningJob(api, jobArn);
  if (values.json) output.write(JSON.stringify({ heads: job.heads, evaluation: job.evaluation }));
  else {
    for (const head of job.heads ?? [])
      output.write(
        `head ${head.headType}: best validation loss ${head.bestValidationLoss.toFixed(4)} at epoch ${head.bestEpoch} of ${head.epochs}${head.selected ? " (selected)" : ""}`,
      );
    if (job.evaluation) output.write(formatEvaluation(job.evaluation));
  }
}

export function transferLearningJob(api: ApiClient, job: string): Promise<GetTransferLearningJobResponse> {
  return api.call<GetTransferLearningJobResponse>({
    method: "GET",
    path: `/strata/transfer-learning-jobs/${pathLabel(job)}`,
  });
}
