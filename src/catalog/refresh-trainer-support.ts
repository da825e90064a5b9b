// Whether the trainer can customize a model is decided when it is registered and stored with it; a newer Strata
// may train more (architectures, tensor types) than the one that imported the file. At start every stored model's
// verdict is taken again from its GGUF header (the header only: milliseconds per model), so an upgrade makes
// models imported earlier customizable without a re-import.
import type { Logger } from "../logging/logger.js";
import { readGgufHeader } from "../model-files/gguf/read-gguf.js";
import { summarizeLlamaFamilyModel } from "../model-files/gguf/summarize-llama-family-model.js";
import { trainerCompatibility } from "../model-files/trainer-compatibility.js";
import { type LocalModelRegistry, localModelFilePath } from "./local-model-registry.js";

/** The ids of the models whose verdict changed. */
export async function refreshTrainerSupport(
  registry: LocalModelRegistry,
  dataDirectory: string,
  logger: Logger,
): Promise<string[]> {
  const changed: string[] = [];
  for (const model of await registry.listStored()) {
    const read = await readGgufHeader(localModelFilePath(dataDirectory, model));
    if (!read.ok) {
      logger.warn("local model file unreadable; its trainer support is left as it was", {
        modelId: model.modelId,
        reason: read.reason,
      });
      continue;
    }
    const summarized = summarizeLlamaFamilyModel(read.header);
    if (!summarized.ok) continue;
    const trainable = trainerCompatibility(summarized.summary.architecture, read.header).trainable;
    if (trainable === model.trainerSupported) continue;
    await registry.setTrainerSupported(model.modelId, trainable);
    logger.info("trainer support of a local model changed with this version", {
      modelId: model.modelId,
      trainerSupported: trainable,
    });
    changed.push(model.modelId);
  }
  return changed;
}
