// The one path by which a GGUF file becomes a local model, for imports and for models Strata creates: read
// and check its header, move it into <data-dir>/models/, register one catalog record. A file that fails any
// check is removed and nothing is registered.
import { rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { LocalModel, LocalModelRegistry } from "../catalog/local-model-registry.js";
import { readGgufHeader, summarizeLlamaFamilyModel } from "../model-files/gguf/read-gguf.js";
import { trainerCompatibility } from "../model-files/trainer-compatibility.js";

export class ModelFileError extends Error {}

export interface RegisterGgufModelRequest {
  dataDirectory: string;
  registry: LocalModelRegistry;
  /** A file Strata may move: it becomes the model's file or is deleted. */
  incomingPath: string;
  /** Names the file for the error messages (an s3:// URI, a path). */
  describedAs: string;
  modelId: string;
  modelName?: string;
  providerName: "Strata" | "Local";
  source: LocalModel["source"];
  sourceUri: string;
  importedModelId?: string;
  importJobId?: string;
}

export const modelsDirectoryName = "models";

export async function registerGgufModel(request: RegisterGgufModelRequest): Promise<LocalModel> {
  const read = await readGgufHeader(request.incomingPath);
  if (!read.ok) {
    await rm(request.incomingPath, { force: true });
    throw new ModelFileError(`${request.describedAs} is not a usable GGUF file: ${read.reason}`);
  }
  const summarized = summarizeLlamaFamilyModel(read.header);
  if (!summarized.ok) {
    await rm(request.incomingPath, { force: true });
    throw new ModelFileError(`${request.describedAs} is not a model Strata can serve: ${summarized.reason}`);
  }
  const { summary } = summarized;
  const relativePath = join(modelsDirectoryName, `${request.importedModelId ?? request.modelId}.gguf`);
  const finalPath = join(request.dataDirectory, relativePath);
  await rename(request.incomingPath, finalPath);
  try {
    return await request.registry.register({
      modelId: request.modelId,
      modelName: request.modelName ?? summary.name ?? request.modelId,
      providerName: request.providerName,
      source: request.source,
      architecture: summary.architecture,
      parameterCount: summary.parameterCount,
      contextLength: summary.contextLength,
      quantization: summary.quantization,
      trainerSupported: trainerCompatibility(summary.architecture, read.header).trainable,
      ...(summary.chatTemplate ? { chatTemplate: summary.chatTemplate } : {}),
      filePath: relativePath,
      sourceUri: request.sourceUri,
      fileSizeBytes: (await stat(finalPath)).size,
      ...(request.importedModelId ? { importedModelId: request.importedModelId } : {}),
      ...(request.importJobId ? { importJobId: request.importJobId } : {}),
    });
  } catch (error) {
    await rm(finalPath, { force: true });
    throw error;
  }
}
