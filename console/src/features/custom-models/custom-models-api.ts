// Custom models: Bedrock's ListCustomModels / GetCustomModel / DeleteCustomModel, Strata's lineage, and the
// reservations that serve a model.
import { apiPath, callJson } from "../../lib/api-client.js";

export interface CustomModelSummary {
  modelArn: string;
  modelName: string;
  baseModelArn: string;
  baseModelName: string;
  customizationType?: string;
  creationTime: string;
  modelStatus?: string;
}

export interface DatasetLineage {
  s3Uri: string;
  sha256: string;
  bytes: number;
  records: number;
}

export interface CustomModelLineage {
  modelArn: string;
  modelName: string;
  jobArn: string;
  trainingMethod: string;
  artifactKind: string;
  fileSizeBytes: number;
  lineage: {
    baseModelId: string;
    baseCustomModelId?: string;
    trainingData: DatasetLineage;
    validationData: DatasetLineage[];
    hyperParameters: Record<string, string>;
    steps: number;
    trainedTokens: number;
    trainingLoss?: number;
    validationLosses: number[];
    trainerVersion: string;
  };
}

export interface Reservation {
  provisionedModelName: string;
  provisionedModelArn: string;
  status: string;
  modelUnits: number;
}

export async function listCustomModels(signal: AbortSignal): Promise<CustomModelSummary[]> {
  const { modelSummaries } = await callJson<{ modelSummaries: CustomModelSummary[] }>({
    method: "GET",
    path: "/custom-models",
    query: { sortOrder: "Descending", maxResults: 100 },
    signal,
  });
  return modelSummaries;
}

export function getLineage(model: string, signal: AbortSignal): Promise<CustomModelLineage> {
  return callJson({ method: "GET", path: apiPath`/strata/custom-models/${model}/lineage`, signal });
}

export async function reservationsOf(modelArn: string, signal: AbortSignal): Promise<Reservation[]> {
  const { provisionedModelSummaries } = await callJson<{ provisionedModelSummaries: Reservation[] }>({
    method: "GET",
    path: "/provisioned-model-throughputs",
    query: { modelArnEquals: modelArn, maxResults: 100 },
    signal,
  });
  return provisionedModelSummaries;
}

export async function deleteCustomModel(model: string): Promise<void> {
  await callJson({ method: "DELETE", path: apiPath`/custom-models/${model}` });
}
