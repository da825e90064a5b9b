// What a provisioned throughput can be bought for: a custom model (its base GGUF plus its LoRA adapter, or its
// merged GGUF) or a local base model (local.* / strata.*). Bedrock-hosted models are served by Bedrock.
import { isAbsolute, join } from "node:path";
import { type Catalog, foundationModelArn } from "../catalog/catalog.js";
import { type LocalModelRegistry, localModelFilePath } from "../catalog/local-model-registry.js";
import type {
  CustomModel,
  CustomModelRegistry,
} from "../customization/custom-models/custom-model-registry.js";
import { customModelArn } from "../customization/customization-arns.js";
import type { EngineModel } from "../inference/engine/inference-engine.js";
import type { ArnContext } from "../model-import/resource-ids.js";
import { ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";

export interface ReservableModel {
  modelArn: string;
  /** The base model's foundation-model ARN (the model itself for a base model). */
  foundationModelArn: string;
  /** The local base model's catalog id (the capabilities and context window reservations share). */
  baseModelId: string;
  engineModel: EngineModel;
  customModel?: CustomModel;
}

export interface ReservableModelSources {
  context: ArnContext;
  dataDirectory: string;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customModels: CustomModelRegistry;
}

export async function findReservableModel(
  sources: ReservableModelSources,
  modelId: string,
): Promise<ReservableModel> {
  const custom = await sources.customModels.findByIdentifier(modelId);
  if (custom) return fromCustomModel(sources, custom);
  const entry = await sources.catalog.get(modelId);
  if (!entry) {
    throw new ResourceNotFoundException(
      `No model ${modelId}: provisioned throughput takes a custom model (ARN or name) or a local model id (local.* or strata.*).`,
    );
  }
  const local = await sources.localModels.find(entry.model.modelId);
  if (!local) {
    throw new ValidationException(
      `Provisioned throughput on Strata reserves this host's capacity, so it takes custom models and local models; ${entry.model.modelId} is served by Amazon Bedrock (${entry.model.servedBy}). Buy its provisioned throughput from Amazon Bedrock.`,
    );
  }
  return {
    modelArn: foundationModelArn(sources.context.region, local.modelId),
    foundationModelArn: foundationModelArn(sources.context.region, local.modelId),
    baseModelId: local.modelId,
    engineModel: { modelId: local.modelId, filePath: localModelFilePath(sources.dataDirectory, local) },
  };
}

function fromCustomModel(sources: ReservableModelSources, model: CustomModel): ReservableModel {
  const resolve = (file: string) => (isAbsolute(file) ? file : join(sources.dataDirectory, file));
  const modelArn = customModelArn(sources.context, model.baseModelId, model.customModelId);
  const engineModel: EngineModel =
    model.artifactKind === "lora-adapter"
      ? {
          modelId: modelArn,
          filePath: resolve(model.baseModelFile),
          adapter: { filePath: resolve(model.artifactFile), scale: 1 },
        }
      : model.artifactKind === "classification-head"
        ? // Transfer learning: the frozen base embeds, the head (a JSON file, not a GGUF) is applied by Classify.
          { modelId: modelArn, filePath: resolve(model.baseModelFile) }
        : { modelId: modelArn, filePath: resolve(model.artifactFile) };
  return {
    modelArn,
    foundationModelArn: foundationModelArn(sources.context.region, model.baseModelId),
    baseModelId: model.baseModelId,
    engineModel,
    customModel: model,
  };
}
