// `strata models create` on the server: a llama-architecture model with random weights from a seed and a
// tokenizer trained on a corpus (or taken from another model), registered through the same path as imports.
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Catalog } from "../catalog/catalog.js";
import {
  type LocalModel,
  type LocalModelRegistry,
  localModelFilePath,
} from "../catalog/local-model-registry.js";
import {
  type LlamaModelDimensions,
  llamaModelDimensionProblems,
  llamaModelPresets,
} from "../model-files/create-model/llama-model-spec.js";
import { readGgufHeader } from "../model-files/gguf/read-gguf.js";
import { vocabularyFromGguf } from "../model-files/vocabulary-from-gguf.js";
import { ConflictException, ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";
import type { CreateModelRequest, CreateModelResponse } from "../protocol/generated/strata-types.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { CreateModelWork, CreateModelWorkResult } from "./create-model-worker.js";
import { modelsDirectoryName, registerGgufModel } from "./register-gguf-model.js";
import { newResourceId } from "./resource-ids.js";

const defaultMaxCorpusBytes = 20_000_000;

export interface CreateLocalModelDependencies {
  dataDirectory: string;
  registry: LocalModelRegistry;
  catalog: Catalog;
  objectStores: ObjectStoreResolver;
}

export async function createLocalModel(
  dependencies: CreateLocalModelDependencies,
  request: CreateModelRequest,
): Promise<CreateModelResponse & { model: LocalModel }> {
  const started = performance.now();
  const modelId = `local.${request.modelName}`;
  if (await dependencies.registry.find(modelId))
    throw new ConflictException(`A model with id ${modelId} already exists.`);

  const preset = llamaModelPresets[request.preset ?? "tiny"];
  const dimensions: LlamaModelDimensions = { ...preset, ...request.dimensions };
  const work: CreateModelWork = {
    path: join(dependencies.dataDirectory, modelsDirectoryName, ".incoming", `${randomUUID()}.gguf`),
    name: request.modelName,
    dimensions,
    seed: request.seed ?? 0,
    tensorType: request.tensorType ?? "Q8_0",
    maxCorpusBytes: request.maxCorpusBytes ?? defaultMaxCorpusBytes,
  };
  let tokenizerDescription = "tokenizer trained on the State of the Union speeches before 1900";
  const tokenizer = request.tokenizer;
  if (tokenizer?.fromModel) {
    work.vocabulary = await vocabularyOf(dependencies, tokenizer.fromModel);
    work.dimensions = { ...dimensions, vocabularySize: work.vocabulary.tokens.length };
    tokenizerDescription = `tokenizer of ${tokenizer.fromModel}`;
  } else if (tokenizer?.corpusS3Uri) {
    work.corpus = {
      texts: await corpusFromObject(dependencies.objectStores, tokenizer.corpusS3Uri, work.maxCorpusBytes),
    };
    tokenizerDescription = `tokenizer trained on ${tokenizer.corpusS3Uri}`;
  } else if (tokenizer?.builtinCorpus) {
    work.corpus = { builtin: tokenizer.builtinCorpus };
    tokenizerDescription = `tokenizer trained on the built-in corpus ${tokenizer.builtinCorpus}`;
  }
  const problems = llamaModelDimensionProblems(work.dimensions);
  if (problems.length > 0)
    throw new ValidationException(`The model dimensions are not usable: ${problems.join("; ")}.`);

  await mkdir(join(dependencies.dataDirectory, modelsDirectoryName, ".incoming"), { recursive: true });
  try {
    const result = await runCreateModelWorker(work);
    if (!result.ok) throw new ValidationException(`The model could not be created: ${result.problem}`);
    const model = await registerGgufModel({
      dataDirectory: dependencies.dataDirectory,
      registry: dependencies.registry,
      incomingPath: work.path,
      describedAs: `the created model ${modelId}`,
      modelId,
      modelName: request.modelName,
      providerName: "Local",
      source: "created",
      // Created models are registered like imported ones (an imported-model ARN), so they are invocable and
      // removable the same way.
      importedModelId: newResourceId(),
      sourceUri: `created by Strata: ${request.preset ?? "tiny"} preset, seed ${work.seed}, ${work.tensorType}, ${tokenizerDescription}`,
    });
    return {
      modelId,
      parameterCount: result.parameterCount,
      vocabularySize: result.vocabularySize,
      fileSizeBytes: result.fileSizeBytes,
      tokenizerTrainingSeconds: result.tokenizerTrainingSeconds,
      totalSeconds: (performance.now() - started) / 1000,
      model,
    };
  } finally {
    await rm(work.path, { force: true });
  }
}

async function vocabularyOf(dependencies: CreateLocalModelDependencies, identifier: string) {
  const entry = await dependencies.catalog.get(identifier);
  const local = entry ? await dependencies.registry.find(entry.model.modelId) : undefined;
  if (!local) throw new ResourceNotFoundException(`tokenizer.fromModel: no local model ${identifier}.`);
  const read = await readGgufHeader(localModelFilePath(dependencies.dataDirectory, local));
  if (!read.ok)
    throw new ValidationException(
      `tokenizer.fromModel: ${identifier}'s file is not readable: ${read.reason}`,
    );
  const taken = vocabularyFromGguf(read.header);
  if (!taken.ok)
    throw new ValidationException(
      `tokenizer.fromModel: ${identifier} cannot lend its tokenizer: ${taken.reason}`,
    );
  return taken.vocabulary;
}

/** A text file, or JSONL whose records carry text in "input", "text", or "prompt" + "completion". */
async function corpusFromObject(
  objectStores: ObjectStoreResolver,
  uri: string,
  maxBytes: number,
): Promise<string[]> {
  const { store, key } = objectStores.resolve(uri, "tokenizer.corpusS3Uri");
  const head = await store.head(key);
  if (!head) throw new ValidationException(`tokenizer.corpusS3Uri: no object at ${uri}.`);
  const text = Buffer.from(await store.getBytes(key))
    .subarray(0, maxBytes)
    .toString("utf8");
  if (!key.endsWith(".jsonl")) return [text];
  const texts: string[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new ValidationException(`tokenizer.corpusS3Uri ${uri} line ${index + 1}: not valid JSON.`);
    }
    const parts = [record.input, record.text, record.prompt, record.completion].filter(
      (part) => typeof part === "string",
    );
    texts.push(parts.join("\n"));
  }
  return texts;
}

export function runCreateModelWorker(work: CreateModelWork): Promise<CreateModelWorkResult> {
  // From dist/ the worker is plain JavaScript. From source (tests, `tsx`) it is TypeScript: the worker first
  // registers tsx's loader (a development dependency), then loads it.
  const extension = extname(fileURLToPath(import.meta.url));
  const workerUrl = new URL(`./create-model-worker${extension}`, import.meta.url);
  const worker =
    extension === ".ts"
      ? new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`,
          { eval: true, workerData: work },
        )
      : new Worker(workerUrl, { workerData: work });
  return new Promise((resolve, reject) => {
    worker.once("message", (result: CreateModelWorkResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the model creation worker exited with code ${code}`));
    });
  });
}
