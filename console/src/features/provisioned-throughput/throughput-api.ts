// Provisioned throughput: Bedrock's Create/List/Update/Delete, Strata's resize (units), and this host's free
// capacity (GetProvisionedThroughputHostCapacity).
import { apiPath, callJson } from "../../lib/api-client.js";
import { randomToken } from "../../lib/random-token.js";

export interface HostCapacity {
  cores: number;
  reservableCores: number;
  unitsPerCore: number;
  heldCores: number;
  freeModelUnits: number;
}

export interface Reservation {
  provisionedModelName: string;
  provisionedModelArn: string;
  modelArn: string;
  desiredModelArn: string;
  modelUnits: number;
  desiredModelUnits: number;
  status: string;
  commitmentDuration?: string;
  commitmentExpirationTime?: string;
  creationTime: string;
}

export interface ReservableModel {
  id: string;
  label: string;
}

export function getHostCapacity(signal: AbortSignal): Promise<HostCapacity> {
  return callJson({ method: "GET", path: "/strata/provisioned-throughput/host-capacity", signal });
}

export async function listReservations(signal: AbortSignal): Promise<Reservation[]> {
  const { provisionedModelSummaries } = await callJson<{ provisionedModelSummaries: Reservation[] }>({
    method: "GET",
    path: "/provisioned-model-throughputs",
    query: { sortOrder: "Descending", maxResults: 100 },
    signal,
  });
  return provisionedModelSummaries;
}

/** Custom models, then local base models that take provisioned throughput. */
export async function listReservableModels(signal: AbortSignal): Promise<ReservableModel[]> {
  const [custom, catalog] = await Promise.all([
    callJson<{ modelSummaries: { modelArn: string; modelName: string; baseModelName: string }[] }>({
      method: "GET",
      path: "/custom-models",
      query: { maxResults: 100, sortOrder: "Descending" },
      signal,
    }),
    callJson<{ models: { modelId: string; servedBy: string; inferenceTypesSupported: string[] }[] }>({
      method: "GET",
      path: "/strata/catalog",
      query: { byServedBy: "LOCAL_ENGINE", byInferenceType: "PROVISIONED" },
      signal,
    }),
  ]);
  return [
    ...custom.modelSummaries.map((model) => ({
      id: model.modelArn,
      label: `${model.modelName} (custom, from ${model.baseModelName})`,
    })),
    ...catalog.models.map((model) => ({ id: model.modelId, label: `${model.modelId} (base model)` })),
  ];
}

export async function createReservation(request: {
  name: string;
  modelId: string;
  modelUnits: number;
  commitmentDuration?: string;
}): Promise<string> {
  const { provisionedModelArn } = await callJson<{ provisionedModelArn: string }>({
    method: "POST",
    path: "/provisioned-model-throughput",
    json: {
      provisionedModelName: request.name,
      modelId: request.modelId,
      modelUnits: request.modelUnits,
      ...(request.commitmentDuration ? { commitmentDuration: request.commitmentDuration } : {}),
      clientRequestToken: randomToken(),
    },
  });
  return provisionedModelArn;
}

export async function updateReservation(
  reservation: Reservation,
  change: { name: string; modelId: string; modelUnits: number },
): Promise<void> {
  const id = reservation.provisionedModelArn;
  if (change.name !== reservation.provisionedModelName || change.modelId !== reservation.desiredModelArn) {
    await callJson({
      method: "PATCH",
      path: apiPath`/provisioned-model-throughput/${id}`,
      json: {
        ...(change.name !== reservation.provisionedModelName
          ? { desiredProvisionedModelName: change.name }
          : {}),
        ...(change.modelId !== reservation.desiredModelArn ? { desiredModelId: change.modelId } : {}),
      },
    });
  }
  if (change.modelUnits !== reservation.desiredModelUnits) {
    await callJson({
      method: "PATCH",
      path: apiPath`/strata/provisioned-model-throughput/${id}/units`,
      json: { desiredModelUnits: change.modelUnits },
    });
  }
}

export async function deleteReservation(id: string): Promise<void> {
  await callJson({ method: "DELETE", path: apiPath`/provisioned-model-throughput/${id}` });
}
