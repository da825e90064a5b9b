// `strata compare -m A -m B … "prompt"` (or --prompts FILE): the same prompts on several models at once through
// CompareModels (POST /strata/compare), one event stream for the whole comparison — see
// src/compare/operations/compare-models-operation.ts for why the fan-out happens on the server. Shown as live
// columns on a terminal, plain blocks otherwise, one JSON document with --json.
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { CompareImageFormat, CompareModelsStream } from "../../protocol/generated/strata-types.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { readEventStream } from "./compare-event-stream.js";
import { type PromptInput, parsePromptsFile } from "./compare-prompts-file.js";
import { ComparisonResults } from "./compare-results.js";
import { type CompareView, LiveColumnsView, PlainBlocksView } from "./compare-views.js";

const usage = `usage: strata compare -m MODEL -m MODEL … ("PROMPT" | --prompts FILE)
  -m, --model ID       a model id or ARN, a provisioned-throughput ARN or name, a Bedrock id (pass-through); 1 to 8
  --prompts FILE       one prompt per line, or JSON Lines {"prompt": …, "system": …}
  --system TEXT        a system prompt for every prompt (JSON lines may set their own)
  --image FILE         an image (png, jpeg, gif, webp) sent with every prompt; repeatable
  --max-tokens N  --temperature X  --top-p X
  --json               one JSON document with every model's results, for scripts
  --endpoint URL`;

const imageFormats: Record<string, CompareImageFormat> = {
  ".png": "png",
  ".jpg": "jpeg",
  ".jpeg": "jpeg",
  ".gif": "gif",
  ".webp": "webp",
};

export async function compareCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    model: { type: "string", short: "m", multiple: true },
    prompts: { type: "string" },
    system: { type: "string" },
    image: { type: "string", multiple: true },
    "max-tokens": { type: "string" },
    temperature: { type: "string" },
    "top-p": { type: "string" },
  });
  const modelIds = values.model ?? [];
  if (modelIds.length === 0) throw new CliError(`give at least one model with -m\n${usage}`, 2);
  const prompts = await promptsFrom(positionals.join(" ").trim(), values.prompts, values.system);
  const images = await Promise.all((values.image ?? []).map(readImage));
  const inferenceConfig = {
    ...numberFlag(values["max-tokens"], "--max-tokens", "maxTokens", { integer: true, min: 1 }),
    ...numberFlag(values.temperature, "--temperature", "temperature", { min: 0, max: 1 }),
    ...numberFlag(values["top-p"], "--top-p", "topP", { min: 0, max: 1 }),
  };
  // The JSON body carries blobs as base64, as the AWS SDKs send them.
  const body = {
    modelIds,
    prompts: prompts.map((prompt) => ({
      ...prompt,
      ...(images.length > 0 ? { images } : {}),
    })),
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
  };

  const { model: _models, image: _images, ...flags } = values;
  const api = apiClientFor(configFromFlags(flags, environment), values.endpoint);
  const results = new ComparisonResults(modelIds);
  const view: CompareView | undefined = values.json
    ? undefined
    : output.isTerminal
      ? new LiveColumnsView(
          {
            write: (text) => process.stdout.write(text),
            size: () => ({ columns: process.stdout.columns ?? 100, rows: process.stdout.rows ?? 40 }),
          },
          prompts.length,
        )
      : new PlainBlocksView((line) => output.write(line), prompts.length);

  const stream = await api.openStream({ method: "POST", path: "/strata/compare", body });
  for await (const event of readEventStream(stream)) {
    const prompt = results.apply(event as CompareModelsStream);
    if (!prompt || !view) continue;
    if (prompt.columns.every((column) => column.result)) view.finish(prompt);
    else view.update(prompt);
  }
  const unfinished =
    results.prompts.length < prompts.length ||
    results.prompts.some((prompt) => prompt.columns.some((column) => !column.result));
  if (unfinished) throw new CliError("the comparison stream ended before every model had answered");
  if (view) {
    view.end(results);
    return;
  }
  output.write(
    JSON.stringify(
      {
        models: modelIds,
        prompts: results.prompts.map((prompt) => ({
          text: prompt.text,
          ...(prompt.system === undefined ? {} : { system: prompt.system }),
          results: prompt.columns.map((column) => ({ ...column.result, toolCalls: column.toolCalls })),
        })),
        summary: results.summaries(),
      },
      null,
      2,
    ),
  );
}

async function promptsFrom(
  positional: string,
  file: string | undefined,
  system: string | undefined,
): Promise<PromptInput[]> {
  if ((positional === "") === (file === undefined))
    throw new CliError(`give a prompt or --prompts FILE (one of them)\n${usage}`, 2);
  let prompts: PromptInput[] = [{ text: positional }];
  if (file !== undefined) {
    const contents = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`, 2);
    });
    const parsed = parsePromptsFile(contents, file);
    if (!parsed.ok) throw new CliError(parsed.problem, 2);
    prompts = parsed.prompts;
  }
  return system === undefined ? prompts : prompts.map((prompt) => ({ system, ...prompt }));
}

async function readImage(path: string): Promise<{ format: CompareImageFormat; bytes: string }> {
  const format = imageFormats[extname(path).toLowerCase()];
  if (!format)
    throw new CliError(`--image ${path}: the file name must end in .png, .jpg, .jpeg, .gif or .webp`, 2);
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${error.code ?? error.message}`, 2);
  });
  return { format, bytes: bytes.toString("base64") };
}

function numberFlag(
  text: string | undefined,
  flag: string,
  key: string,
  range: { integer?: boolean; min: number; max?: number },
): Record<string, number> {
  if (text === undefined) return {};
  const value = Number(text);
  const fits =
    text.trim() !== "" &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    value >= range.min &&
    (range.max === undefined || value <= range.max);
  if (!fits) {
    const kind = range.integer ? "a whole number" : "a number";
    throw new CliError(
      `${flag} must be ${kind} ${range.max === undefined ? `≥ ${range.min}` : `from ${range.min} to ${range.max}`}, not ${text}`,
      2,
    );
  }
  return { [key]: value };
}
