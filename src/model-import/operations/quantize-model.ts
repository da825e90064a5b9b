// QuantizeModel (`strata models quantize`): llama.cpp's own quantizer, run by the native trainer addon on
// libuv's thread pool (the event loop stays free), turns a local model's GGUF into a q8_0 or q4_k_m one in
// <data-dir>/models/.incoming/, which then becomes local.<name> through registerGgufModel — the same path as
// imports and created models.
import { randomUUID } from "node:crypto";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { requireAdmin } from "../../auth/operations/require-admin.js";
import type { Catalog } from "../../catalog/catalog.js";
import { type LocalModelRegistry, localModelFilePath } from "../../catalog/local-model-registry.js";
import {
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ValidationException,
} from "../../protocol/aws-errors.js";
import { operation } from "../../protocol/dispatcher.js";
import type {
  QuantizationType,
  QuantizeModelRequest,
  QuantizeModelResponse,
} from "../../protocol/generated/strata-types.js";
import { loadNativeTrainer, type NativeTrainerModule } from "../../training/native-trainer.js";
import { modelsDirectoryName, registerGgufModel } from "../register-gguf-model.js";
import { newResourceId } from "../resource-ids.js";

/** The types QuantizeModel offers (llama.cpp's quantizer knows more; these are the useful ones to serve). */
export const supportedQuantizationTypes: readonly QuantizationType[] = ["q8_0", "q4_k_m"];

export interface QuantizeModelDependencies {
  dataDirectory: string;
  registry: LocalModelRegistry;
  catalog: Catalog;
  /** The addon's quantize(); default: the native trainer addon's (loaded on first use). */
  quantize?: NativeTrainerModule["quantize"];
  /** Quantizer threads; default 0 = all cores. */
  threads?: number;
}

/** "local.tiny" + q4_k_m → "tiny-q4-k-m". */
export function defaultQuantizedName(sourceModelId: string, type: QuantizationType): string {
  const name = sourceModelId.replace(/^(local|strata)\./, "");
  return `${name}-${type.replaceAll("_", "-")}`;
}

const localModelNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function quantizeLocalModel(
  dependencies: QuantizeModelDependencies,
  request: QuantizeModelRequest,
): Promise<QuantizeModelResponse> {
  const started = performance.now();
  const type = request.quantizationType;
  if (!supportedQuantizationTypes.includes(type))
    throw new ValidationException(
      `quantizationType ${JSON.stringify(type)} is not supported: use one of ${supportedQuantizationTypes.join(", ")}.`,
    );
  const entry = await dependencies.catalog.get(request.modelIdentifier);
  const source = entry ? await dependencies.registry.find(entry.model.modelId) : undefined;
  if (!source)
    throw new ResourceNotFoundException(
      `No local model ${request.modelIdentifier}: only local models (local.* or strata.*, see strata models list) can be quantized.`,
    );
  if (source.quantization.toLowerCase() === type)
    throw new ValidationException(
      `${source.modelId} is already ${source.quantization}; quantize it to another type (${supportedQuantizationTypes.filter((t) => t !== type).join(", ")}).`,
    );
  const name = request.modelName ?? defaultQuantizedName(source.modelId, type);
  if (!localModelNamePattern.test(name))
    throw new ValidationException(
      `The model name ${name} is not usable (a-z, 0-9 and '-', at most 63 characters): pass modelName.`,
    );
  const modelId = `local.${name}`;
  if (await dependencies.registry.find(modelId))
    throw new ConflictException(`A model with id ${modelId} already exists: pass another modelName.`);

  const sourcePath = localModelFilePath(dependencies.dataDirectory, source);
  const incomingDirectory = join(dependencies.dataDirectory, modelsDirectoryName, ".incoming");
  const incomingPath = join(incomingDirectory, `${randomUUID()}.gguf`);
  await mkdir(incomingDirectory, { recursive: true });
  try {
    const quantize = dependencies.quantize ?? quantizeThroughAddon;
    try {
      await quantize(sourcePath, incomingPath, type, { threads: dependencies.threads ?? 0 });
    } catch (error) {
      throw quantizerError(source.modelId, type, error);
    }
    const model = await registerGgufModel({
      dataDirectory: dependencies.dataDirectory,
      registry: dependencies.registry,
      incomingPath,
      describedAs: `the ${type} quantization of ${source.modelId}`,
      modelId,
      modelName: name,
      providerName: "Local",
      source: "created",
      // Registered like created models (an imported-model ARN): invocable and removable the same way.
      importedModelId: newResourceId(),
      sourceUri: `quantized by Strata: ${source.modelId} (${source.quantization}) → ${type} with llama.cpp's quantizer`,
    });
    return {
      modelId,
      sourceModelId: source.modelId,
      quantizationType: type,
      fileSizeBytes: model.fileSizeBytes,
      sourceFileSizeBytes: (await stat(sourcePath)).size,
      totalSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await rm(incomingPath, { force: true });
    await rm(`${incomingPath}.tmp`, { force: true });
  }
}

const quantizeThroughAddon: NativeTrainerModule["quantize"] = (input, output, type, options) =>
  loadNativeTrainer().quantize(input, output, type, options);

function quantizerError(sourceModelId: string, type: QuantizationType, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  // The model itself is the problem (llama.cpp refuses it): the caller's to fix.
  if (code === "STRATA_TRAINER_INVALID_ARGUMENT" || code === "STRATA_TRAINER_UNSUPPORTED_MODEL")
    return new ValidationException(`${sourceModelId} could not be quantized to ${type}: ${message}`);
  return new InternalServerException(`Quantizing ${sourceModelId} to ${type} failed: ${message}`);
}

export const quantizeModel = (dependencies: QuantizeModelDependencies) =>
  operation<QuantizeModelRequest, QuantizeModelResponse>(async (context, input) => {
    requireAdmin(context);
    return quantizeLocalModel(dependencies, input);
  });
