// `strata models list|get`: the catalog through the running server's API (Strata's catalog extension, which
// adds how each model is served, its context window and prices to Bedrock's shape).
import type {
  CatalogModel,
  GetCatalogModelResponse,
  ListCatalogModelsResponse,
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
import { createModelCommand } from "./models-create.js";
import { importModelCommand, removeModelCommand } from "./models-import.js";
import { pretrainingJobsCommand, pretrainModelCommand } from "./models-pretrain.js";
import { quantizeModelCommand } from "./models-quantize.js";

const listOptions = {
  ...clientOptions,
  provider: { type: "string" },
  customization: { type: "string" },
  "output-modality": { type: "string" },
  "inference-type": { type: "string" },
  "served-by": { type: "string" },
} as const;

function contextText(model: CatalogModel): string {
  const tokens = model.contextWindowTokens;
  if (tokens === undefined) return "-";
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens);
}

async function listModels(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, listOptions);
  const config = configFromFlags(values, environment);
  const response = await apiClientFor(config, values.endpoint).call<ListCatalogModelsResponse>({
    method: "GET",
    path: "/strata/catalog",
    query: {
      byProvider: values.provider,
      byCustomizationType: values.customization?.toUpperCase().replaceAll("-", "_"),
      byOutputModality: values["output-modality"]?.toUpperCase(),
      byInferenceType: values["inference-type"]?.toUpperCase().replaceAll("-", "_"),
      byServedBy: values["served-by"]?.toUpperCase().replaceAll("-", "_"),
    },
  });
  if (values.json) {
    output.write(JSON.stringify(response.models, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["MODEL ID", "PROVIDER", "IN→OUT", "CONTEXT", "SERVED BY", "CUSTOMIZATIONS"],
      response.models.map((model) => [
        model.modelId,
        model.providerName,
        `${model.inputModalities.join("+")}→${model.outputModalities.join("+")}`,
        contextText(model),
        model.servedBy.toLowerCase().replaceAll("_", "-"),
        model.customizationsSupported.join(",") || "-",
      ]),
    ),
  );
}

async function getModel(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const identifier = positionals[0];
  if (!identifier)
    throw new CliError("usage: strata models get <model-id | foundation-model ARN> [--json]", 2);
  const config = configFromFlags(values, environment);
  const { model } = await apiClientFor(config, values.endpoint).call<GetCatalogModelResponse>({
    method: "GET",
    path: `/strata/catalog/${pathLabel(identifier)}`,
  });
  if (values.json) {
    output.write(JSON.stringify(model, null, 2));
    return;
  }
  const rows: [string, string][] = [
    ["model id", model.modelId],
    ["arn", model.modelArn],
    ["name", model.modelName ?? "-"],
    ["provider", model.providerName],
    ["input", model.inputModalities.join(", ")],
    ["output", model.outputModalities.join(", ")],
    ["streaming", String(model.responseStreamingSupported ?? "-")],
    ["customizations", model.customizationsSupported.join(", ") || "-"],
    ["inference types", model.inferenceTypesSupported.join(", ")],
    ["lifecycle", model.lifecycleStatus],
    ["context window", contextText(model)],
    ["served by", `${model.servedBy.toLowerCase().replaceAll("_", "-")} — ${model.servedByDetail ?? ""}`],
  ];
  if (model.localModel) {
    const local = model.localModel;
    rows.push(
      ["architecture", local.architecture],
      ["parameters", local.parameterCount.toLocaleString("en-US")],
      ["quantization", local.quantization],
      ["trainer can customize", local.trainerSupported ? "yes" : "no"],
      ["source", local.source],
    );
  }
  if (model.pricing) rows.push(["pricing", JSON.stringify(model.pricing)]);
  output.write(rows.map(([key, value]) => `${key.padEnd(22)} ${value}`).join("\n"));
}

export async function modelsCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "list") return listModels(rest, environment);
  if (subcommand === "get") return getModel(rest, environment);
  if (subcommand === "create") return createModelCommand(rest, environment);
  if (subcommand === "import") return importModelCommand(rest, environment);
  if (subcommand === "remove") return removeModelCommand(rest, environment);
  if (subcommand === "quantize") return quantizeModelCommand(rest, environment);
  if (subcommand === "pretrain") return pretrainModelCommand(rest, environment);
  if (subcommand === "pretraining") return pretrainingJobsCommand(rest, environment);
  throw new CliError("usage: strata models list|get|create|import|remove|quantize|pretrain|pretraining …", 2);
}
