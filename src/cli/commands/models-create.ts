// `strata models create NAME`: the server makes a llama-architecture model (random weights from a seed, a
// tokenizer trained on a corpus or borrowed from another model) and registers it as local.NAME.
import type { CreateModelRequest, CreateModelResponse } from "../../protocol/generated/strata-types.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";

const dimensionFlags = {
  "vocabulary-size": "vocabularySize",
  "context-length": "contextLength",
  "embedding-length": "embeddingLength",
  "block-count": "blockCount",
  "feed-forward-length": "feedForwardLength",
  "head-count": "headCount",
  "head-count-kv": "headCountKv",
} as const;

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} must be a whole number, not ${value}`, 2);
  return Number(value);
}

export async function createModelCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    preset: { type: "string" },
    seed: { type: "string" },
    "tensor-type": { type: "string" },
    corpus: { type: "string" },
    "tokenizer-from": { type: "string" },
    "max-corpus-bytes": { type: "string" },
    ...Object.fromEntries(Object.keys(dimensionFlags).map((flag) => [flag, { type: "string" as const }])),
  });
  const modelName = positionals[0];
  if (!modelName) {
    throw new CliError(
      "usage: strata models create NAME [--preset tiny|small] [--seed N] [--tensor-type Q8_0|F16|F32] [--corpus sotu-before-1900|moby-dick|sotu-before-1900-and-moby-dick|s3://…] [--tokenizer-from MODEL] [--vocabulary-size N …]",
      2,
    );
  }
  const dimensions: Record<string, number> = {};
  for (const [flag, field] of Object.entries(dimensionFlags)) {
    const value = integerFlag(flag, (values as Record<string, string | undefined>)[flag]);
    if (value !== undefined) dimensions[field] = value;
  }
  const corpus = values.corpus;
  const request: CreateModelRequest = {
    modelName,
    ...(values.preset ? { preset: values.preset as CreateModelRequest["preset"] } : {}),
    ...(Object.keys(dimensions).length > 0 ? { dimensions } : {}),
    ...(values.seed !== undefined ? { seed: integerFlag("seed", values.seed) } : {}),
    ...(values["tensor-type"]
      ? { tensorType: values["tensor-type"].toUpperCase() as CreateModelRequest["tensorType"] }
      : {}),
    ...(values["max-corpus-bytes"]
      ? { maxCorpusBytes: integerFlag("max-corpus-bytes", values["max-corpus-bytes"]) }
      : {}),
    ...(values["tokenizer-from"]
      ? { tokenizer: { fromModel: values["tokenizer-from"] } }
      : corpus
        ? {
            tokenizer: corpus.startsWith("s3://")
              ? { corpusS3Uri: corpus }
              : { builtinCorpus: corpus as "moby-dick" },
          }
        : {}),
  };
  const config = configFromFlags(values, environment);
  if (process.stderr.isTTY)
    process.stderr.write(`creating local.${modelName} (training a tokenizer can take a minute)…\n`);
  const created = await apiClientFor(config, values.endpoint).call<CreateModelResponse>({
    method: "POST",
    path: "/strata/models",
    body: request,
  });
  if (values.json) {
    output.write(JSON.stringify(created, null, 2));
    return;
  }
  output.write(
    `Created ${created.modelId}: ${created.parameterCount.toLocaleString("en-US")} parameters, vocabulary ${created.vocabularySize}, ${(created.fileSizeBytes / 1_048_576).toFixed(1)} MiB in ${(created.totalSeconds ?? 0).toFixed(1)} s`,
  );
}
