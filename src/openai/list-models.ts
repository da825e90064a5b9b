// GET /v1/models and /v1/models/{id}: the catalog models this API can serve — local models and the Bedrock ids
// aliased to one — in OpenAI's list shape. Catalog-only Bedrock models are left out: a client picking from
// this list must be able to call what it picks.
import type { CatalogEntry } from "../catalog/catalog.js";
import type { WireResponse } from "../protocol/wire-request.js";
import { unixSeconds } from "./generation-settings.js";
import { jsonResponse } from "./json-response.js";
import { modelNotFound } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";

export interface OpenAiModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export async function listModels(context: OpenAiRequestContext): Promise<WireResponse> {
  // The catalog marks local models and the Bedrock ids aliased to one alike: served by the local engine.
  const entries = await context.catalog.list({ byServedBy: "LOCAL_ENGINE" });
  return jsonResponse(200, { object: "list", data: entries.map(openAiModel) }, context.request.requestId);
}

export async function retrieveModel(context: OpenAiRequestContext, modelId: string): Promise<WireResponse> {
  const entry = await context.catalog.get(modelId);
  if (entry?.model.servedBy !== "LOCAL_ENGINE") throw modelNotFound(modelId);
  return jsonResponse(200, openAiModel(entry), context.request.requestId);
}

function openAiModel(entry: CatalogEntry): OpenAiModel {
  const created = entry.model.localModel?.creationTime ?? entry.summary.modelLifecycle?.startOfLifeTime;
  return {
    id: entry.model.modelId,
    object: "model",
    created: created ? unixSeconds(created) : 0,
    owned_by: entry.model.providerName.toLowerCase(),
  };
}
