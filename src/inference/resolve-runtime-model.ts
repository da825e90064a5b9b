// Resolves a runtime `modelId` (id or ARN) to what can serve it, answering as Bedrock does when nothing can:
// an unknown id is a 400 ValidationException "The provided model identifier is invalid." (bedrock-api.md
// §3.1); a known model this host cannot serve is an AccessDeniedException, as for a model without access.
import type { Catalog, CatalogEntry } from "../catalog/catalog.js";
import { AccessDeniedException, ValidationException } from "../protocol/aws-errors.js";

export async function resolveRuntimeModel(catalog: Catalog, modelId: string): Promise<CatalogEntry> {
  const entry = await catalog.get(modelId);
  if (!entry) throw new ValidationException("The provided model identifier is invalid.");
  if (entry.model.servedBy === "CATALOG_ONLY") {
    throw new AccessDeniedException(
      `You don't have access to the model with the specified model ID ${entry.model.modelId}: it is in Strata's catalog only. ` +
        "Configure AWS credentials for pass-through to Amazon Bedrock, or an alias that serves this id with a local model.",
    );
  }
  return entry;
}
