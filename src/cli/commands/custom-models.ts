// `strata custom-models list|get|delete|export`: custom models through the Bedrock API (ListCustomModels,
// GetCustomModel, DeleteCustomModel) plus Strata's lineage and export extensions. `export` has the server copy
// the adapter (LoRA) or merged GGUF (full) to S3 and downloads it to a local file.
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type {
  ExportCustomModelResponse,
  GetCustomModelLineageResponse,
} from "../../protocol/generated/strata-types.js";
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
import { customModelEvaluationRows } from "./evaluations-custom-model-rows.js";
import { s3ClientFor } from "./models-import.js";

interface ModelSummary {
  modelArn: string;
  modelName: string;
  baseModelName: string;
  customizationType?: string;
  creationTime: string;
}

async function listModels(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, clientOptions);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const models: ModelSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.call<{ modelSummaries: ModelSummary[]; nextToken?: string }>({
      method: "GET",
      path: "/custom-models",
      query: { nextToken },
    });
    models.push(...page.modelSummaries);
    nextToken = page.nextToken;
  } while (nextToken);
  if (values.json) {
    output.write(JSON.stringify(models, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["NAME", "BASE MODEL", "TYPE", "CREATED", "ARN"],
      models.map((model) => [
        model.modelName,
        model.baseModelName,
        (model.customizationType ?? "").toLowerCase().replaceAll("_", "-"),
        model.creationTime,
        model.modelArn,
      ]),
    ),
  );
}

async function getModel(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const model = positionals[0];
  if (!model) throw new CliError("usage: strata custom-models get NAME|ARN [--json]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const details = await api.call<Record<string, unknown>>({
    method: "GET",
    path: `/custom-models/${pathLabel(model)}`,
  });
  const lineage = await api.call<GetCustomModelLineageResponse>({
    method: "GET",
    path: `/strata/custom-models/${pathLabel(model)}/lineage`,
  });
  if (values.json) {
    output.write(JSON.stringify({ ...details, strata: lineage }, null, 2));
    return;
  }
  const { lineage: facts } = lineage;
  const rows: [string, string][] = [
    ["name", lineage.modelName],
    ["arn", lineage.modelArn],
    ["job", String(details.jobName ?? "")],
    [
      "base model",
      facts.baseCustomModelId
        ? `${facts.baseModelId} (via custom model ${facts.baseCustomModelId})`
        : facts.baseModelId,
    ],
    ["type", String(details.customizationType ?? "")],
    [
      "artifact",
      `${lineage.artifactKind} (${lineage.trainingMethod}), ${(lineage.fileSizeBytes / 1_048_576).toFixed(2)} MiB`,
    ],
    [
      "training data",
      `${facts.trainingData.s3Uri} sha256:${facts.trainingData.sha256} (${facts.trainingData.records} records)`,
    ],
    ...facts.validationData.map((data): [string, string] => [
      "validation data",
      `${data.s3Uri} sha256:${data.sha256} (${data.records} records)`,
    ]),
    [
      "hyperparameters",
      Object.entries(facts.hyperParameters)
        .map(([key, value]) => `${key}=${value}`)
        .join(" "),
    ],
    ["steps / trained tokens", `${facts.steps} / ${facts.trainedTokens}`],
    ["training loss", facts.trainingLoss === undefined ? "-" : facts.trainingLoss.toFixed(4)],
    ["validation loss", facts.validationLosses.map((loss) => loss.toFixed(4)).join(", ") || "-"],
    ["trainer", facts.trainerVersion],
    ["created", String(details.creationTime ?? "")],
    ...customModelEvaluationRows(lineage.evaluation),
  ];
  output.write(rows.map(([key, value]) => `${key.padEnd(24)} ${value}`).join("\n"));
}

async function deleteModel(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const model = positionals[0];
  if (!model) throw new CliError("usage: strata custom-models delete NAME|ARN", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  await api.call({ method: "DELETE", path: `/custom-models/${pathLabel(model)}` });
  output.write(values.json ? JSON.stringify({ deleted: model }) : `Deleted ${model}.`);
}

async function exportModel(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    output: { type: "string" },
    "s3-uri": { type: "string" },
  });
  const model = positionals[0];
  if (!model)
    throw new CliError(
      "usage: strata custom-models export NAME|ARN [--output FILE.gguf] [--s3-uri s3://…] [--json]",
      2,
    );
  const config = configFromFlags(values, environment);
  const api = apiClientFor(config, values.endpoint);
  const exported = await api.call<ExportCustomModelResponse>({
    method: "POST",
    path: `/strata/custom-models/${pathLabel(model)}/export`,
    body: values["s3-uri"] ? { s3Uri: values["s3-uri"] } : {},
  });
  const file = values.output ?? `${model.split("/").at(-1)}.gguf`;
  const { client } = await s3ClientFor(config, api);
  try {
    const rest = exported.s3Uri.slice("s3://".length);
    const slash = rest.indexOf("/");
    const object = await client.send(
      new GetObjectCommand({ Bucket: rest.slice(0, slash), Key: rest.slice(slash + 1) }),
    );
    await pipeline(object.Body as Readable, createWriteStream(file));
  } finally {
    client.destroy();
  }
  if (values.json) output.write(JSON.stringify({ ...exported, file }, null, 2));
  else
    output.write(
      `Exported ${exportedWhat(exported)} to ${file} (${exported.fileSizeBytes} bytes; also at ${exported.s3Uri})`,
    );
}

function exportedWhat({ artifactKind, baseModelId }: ExportCustomModelResponse): string {
  if (artifactKind === "lora-adapter") return `the LoRA adapter (apply it to ${baseModelId})`;
  if (artifactKind === "classification-head")
    return `the classifier head (a strata-classifier GGUF over ${baseModelId}'s embeddings)`;
  return "the merged model";
}

export async function customModelsCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "list") return listModels(rest, environment);
  if (subcommand === "get") return getModel(rest, environment);
  if (subcommand === "delete") return deleteModel(rest, environment);
  if (subcommand === "export") return exportModel(rest, environment);
  throw new CliError("usage: strata custom-models list|get|delete|export …", 2);
}
