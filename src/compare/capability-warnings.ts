// What a compare request asks that a model cannot do or does not support, from the catalog's capability data
// (input modalities, Bedrock's systemPrompt / toolUse flags, lifecycle, how it is served) and, for local models,
// the chat template. Pure. A warning does not stop the run: the runtime decides, and a refusal shows up as
// the model's error result — the warning says why in advance, next to the models that did answer.
import type { CatalogModel } from "../protocol/generated/strata-types.js";

export interface RequestedFeatures {
  image: boolean;
  system: boolean;
  tools: boolean;
}

/** `localToolSupport`: whether a local model's chat template declares tools (undefined when not asked). */
export function capabilityWarnings(
  model: CatalogModel,
  requested: RequestedFeatures,
  localToolSupport?: boolean,
): string[] {
  const warnings: string[] = [];
  const capabilities = (model.capabilities ?? {}) as { systemPrompt?: boolean; toolUse?: boolean };
  if (model.servedBy === "CATALOG_ONLY") {
    warnings.push(
      `${model.modelId} is in the catalog only: configure AWS credentials for pass-through, or an alias that serves it locally`,
    );
  }
  if (model.lifecycleStatus === "LEGACY") {
    warnings.push(`${model.modelId} is a LEGACY model on Bedrock`);
  }
  if (requested.image && !model.inputModalities.includes("IMAGE")) {
    warnings.push(
      `${model.modelId} does not accept IMAGE input (input modalities: ${model.inputModalities.join(", ")})`,
    );
  }
  if (requested.system && capabilities.systemPrompt === false) {
    warnings.push(`${model.modelId} does not support a system prompt (Bedrock model capabilities)`);
  }
  if (requested.tools && (capabilities.toolUse === false || localToolSupport === false)) {
    warnings.push(
      localToolSupport === false
        ? `${model.modelId} does not support tool use: its chat template has no tool support`
        : `${model.modelId} does not support tool use (Bedrock model capabilities)`,
    );
  }
  if (model.localModel && model.localModel.hasChatTemplate === false) {
    warnings.push(
      `${model.modelId} has no chat template of its own: the conversation is formatted with a generic one`,
    );
  }
  return warnings;
}
