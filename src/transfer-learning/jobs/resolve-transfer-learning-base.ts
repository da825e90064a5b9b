// Which model a transfer-learning job embeds with: a local catalog model (local.* / strata.*), or a custom model
// whose weights are a whole GGUF (a merged model). Only llama.cpp runs it, so Strata's trainer need not support
// it. Bedrock-hosted models are refused with the reason.
import { type Catalog, modelIdFromIdentifier } from "../../catalog/catalog.js";
import type { LocalModelRegistry } from "../../catalog/local-model-registry.js";
import type { CustomModelRegistry } from "../../customization/custom-models/custom-model-registry.js";
import { idFromCustomizationArn } from "../../customization/customization-arns.js";
import { ResourceNotFoundException, ValidationException } from "../../protocol/aws-errors.js";

export interface TransferLearningBase {
  /** The local catalog model at the root of the lineage. */
  baseModelId: string;
  /** Relative to the data directory, or absolute (a built-in model). */
  baseModelFile: string;
  baseCustomModelId?: string;
  contextLength: number;
}

export async function resolveTransferLearningBase(
  identifier: string,
  sources: { catalog: Catalog; localModels: LocalModelRegistry; customModels: CustomModelRegistry },
): Promise<TransferLearningBase> {
  const byArn = idFromCustomizationArn(identifier, "custom-model") !== undefined;
  const custom = await sources.customModels.findByIdentifier(identifier);
  if (byArn && !custom) throw new ResourceNotFoundException(`No custom model ${identifier}.`);
  if (custom && custom.artifactKind !== "merged-model")
    throw new ValidationException(
      `Custom model ${custom.modelName} is a ${custom.artifactKind}; transfer learning embeds with a whole model: a local model or a custom model trained with trainingMethod=full.`,
    );
  const local = await sources.localModels.find(custom?.baseModelId ?? modelIdFromIdentifier(identifier));
  if (!local) {
    if (await sources.catalog.get(identifier))
      throw new ValidationException(
        `${identifier} is a Bedrock-hosted model; transfer learning runs on local models (local.* and strata.* in the catalog) and custom models trained from them.`,
      );
    throw new ResourceNotFoundException(`No base model ${identifier}.`);
  }
  return {
    baseModelId: local.modelId,
    baseModelFile: custom?.artifactFile ?? local.filePath,
    ...(custom ? { baseCustomModelId: custom.customModelId } : {}),
    contextLength: local.contextLength,
  };
}
