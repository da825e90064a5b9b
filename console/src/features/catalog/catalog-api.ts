// The catalog through Strata's ListCatalogModels: Bedrock's filters plus how each model is served here.
import { callJson } from "../../lib/api-client.js";

export interface OnDemandPrice {
  inputPer1kTokens?: number;
  outputPer1kTokens?: number;
  source?: string;
  asOf?: string;
}

export interface CatalogModel {
  modelId: string;
  modelArn: string;
  modelName?: string;
  providerName: string;
  servedBy: "LOCAL_ENGINE" | "PASS_THROUGH" | "CATALOG_ONLY";
  servedByDetail?: string;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported: string[];
  inferenceTypesSupported: string[];
  lifecycleStatus: string;
  contextWindowTokens?: number;
  maxOutputTokens?: number;
  capabilities?: Record<string, boolean>;
  pricing?: { onDemand?: OnDemandPrice };
  localModel?: { quantization?: string; parameterCount?: number; fileSizeBytes?: number; source?: string };
}

export interface CatalogFilters {
  byProvider?: string;
  byOutputModality?: string;
  byCustomizationType?: string;
  byInferenceType?: string;
  byServedBy?: string;
}

export async function listCatalogModels(
  filters: CatalogFilters,
  signal: AbortSignal,
): Promise<CatalogModel[]> {
  const { models } = await callJson<{ models: CatalogModel[] }>({
    method: "GET",
    path: "/strata/catalog",
    query: { ...filters },
    signal,
  });
  return models;
}
