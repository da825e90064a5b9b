// Strata's built-in models: GGUF files shipped in the repository's models/ folder (made by
// `npm run build:builtin-models`, recipes next to them), listed with provider "Strata" and served from where
// they lie. They are part of the install, not of the database: nothing to register, nothing to lose, and they
// cannot be removed through the API.
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readGgufHeader, summarizeLlamaFamilyModel } from "../model-files/gguf/read-gguf.js";
import { trainerCompatibility } from "../model-files/trainer-compatibility.js";
import type { LocalModel } from "./local-model-registry.js";

export const builtinModelsFolder = fileURLToPath(new URL("../../models/", import.meta.url));

const builtinFilePattern = /^(strata\.[a-z0-9][a-z0-9-]*-v\d+)\.gguf$/;

/** The built-in models in `folder`; a file that is not a servable GGUF is an install error, said loudly. */
export async function loadBuiltinModels(folder = builtinModelsFolder): Promise<LocalModel[]> {
  if (!existsSync(folder)) return [];
  const models: LocalModel[] = [];
  for (const name of (await readdir(folder)).sort()) {
    const match = builtinFilePattern.exec(name);
    if (!match) continue;
    const path = join(folder, name);
    const read = await readGgufHeader(path);
    if (!read.ok) throw new Error(`the built-in model ${path} is not a usable GGUF file: ${read.reason}`);
    const summarized = summarizeLlamaFamilyModel(read.header);
    if (!summarized.ok) throw new Error(`the built-in model ${path} cannot be served: ${summarized.reason}`);
    const { summary } = summarized;
    const file = await stat(path);
    const modelId = match[1] as string;
    models.push({
      modelId,
      modelName: modelId,
      providerName: "Strata",
      source: "builtin",
      architecture: summary.architecture,
      parameterCount: summary.parameterCount,
      contextLength: summary.contextLength,
      quantization: summary.quantization,
      trainerSupported: trainerCompatibility(summary.architecture, read.header).trainable,
      ...(summary.chatTemplate ? { chatTemplate: summary.chatTemplate } : {}),
      filePath: path,
      sourceUri: `built into Strata: pretrained by Strata (recipe: models/${modelId}.recipe.json)`,
      fileSizeBytes: file.size,
      creationTime: file.mtime,
    });
  }
  return models;
}
