// Which GGUF a customization job trains: a local catalog model the trainer supports (local.* / strata.*), or a
// custom model trained further (its merged GGUF). Bedrock-hosted models are refused with the reason.
import type { Catalog } from "../../catalog/catalog.js";
import { foundationModelArn, modelIdFromIdentifier } from "../../catalog/catalog.js";
import type { LocalModelRegistry } from "../../catalog/local-model-registry.js";
import { ResourceNotFoundException, ValidationException } from "../../protocol/aws-errors.js";
import type { CustomModel, CustomModelRegistry } from "../custom-models/custom-model-registry.js";
import { idFromCustomizationArn } from "../customization-arns.js";

export interface ResolvedBaseModel {
  /** The local catalog model at the root of the lineage. */
  baseModelId: string;
  baseModelArn: string;
  /** Relative to the data directory, or absolute (a built-in model in the repository's models/). */
  baseModelFile: string;
  contextLength: number;
  baseCustomModel?: CustomModel;
}

export interface BaseModelSources {
  region: string;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customModels: CustomModelRegistry;
}

export const supportedCustomizationTypes = ["FINE_TUNING", "CONTINUED_PRE_TRAINING"] as const;

export async function resolveBaseModel(
  identifier: string,
  customizationType: string,
  sources: BaseModelSources,
): Promise<ResolvedBaseModel> {
  const customModel = idFromCustomizationArn(identifier, "custom-model")
    ? await sources.customModels.findByIdentifier(identifier)
    : await sources.customModels.findByName(identifier);
  if (idFromCustomizationArn(identifier, "custom-model") && !customModel)
    throw new ResourceNotFoundException(`No custom model ${identifier}.`);
  const baseModelId = customModel?.baseModelId ?? modelIdFromIdentifier(identifier);
  const local = await sources.localModels.find(baseModelId);
  if (!local) {
    if (await sources.catalog.get(identifier))
      throw new ValidationException(
        `${identifier} is a Bedrock-hosted model; Strata customizes only local models (local.* and strata.* in the catalog) and custom models trained from them.`,
      );
    throw new ResourceNotFoundException(`No base model ${identifier}.`);
  }
  if (!(supportedCustomizationTypes as readonly string[]).includes(customizationType))
    throw new ValidationException(
      `${local.modelId} does not support customizationType ${customizationType}; it supports ${supportedCustomizationTypes.join(", ")}.`,
    );
  if (!local.trainerSupported)
    throw new ValidationException(
      `${local.modelId} cannot be customized: Strata's trainer does not support its architecture (${local.architecture}) or tensor types (${local.quantization}).`,
    );
  if (customModel && customModel.artifactKind !== "merged-model")
    throw new ValidationException(
      `Custom model ${customModel.modelName} is a ${customModel.artifactKind === "lora-adapter" ? "LoRA adapter" : "classification head (transfer learning)"}; only custom models trained with trainingMethod=full (a merged model) can be customized further. Train a new adapter on ${local.modelId} instead.`,
    );
  return {
    baseModelId: local.modelId,
    baseModelArn: foundationModelArn(sources.region, local.modelId),
    baseModelFile: customModel?.artifactFile ?? local.filePath,
    contextLength: local.contextLength,
    ...(customModel ? { baseCustomModel: customModel } : {}),
  };
}
