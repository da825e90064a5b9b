// Bedrock's provisioned-throughput operations and Strata's extensions (capacity, resize, forced delete, cost).
import { requireAdmin } from "../../auth/operations/require-admin.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  CreateProvisionedModelThroughputRequest,
  CreateProvisionedModelThroughputResponse,
  DeleteProvisionedModelThroughputRequest,
  DeleteProvisionedModelThroughputResponse,
  GetProvisionedModelThroughputRequest,
  GetProvisionedModelThroughputResponse,
  ListProvisionedModelThroughputsRequest,
  ListProvisionedModelThroughputsResponse,
  ProvisionedModelSummary,
  UpdateProvisionedModelThroughputRequest,
  UpdateProvisionedModelThroughputResponse,
} from "../../protocol/generated/bedrock-types.js";
import type {
  ForceDeleteProvisionedModelThroughputRequest,
  ForceDeleteProvisionedModelThroughputResponse,
  GetCostSummaryRequest,
  GetCostSummaryResponse,
  GetProvisionedModelThroughputCapacityRequest,
  GetProvisionedModelThroughputCapacityResponse,
  GetProvisionedThroughputHostCapacityRequest,
  GetProvisionedThroughputHostCapacityResponse,
  ResizeProvisionedModelThroughputRequest,
  ResizeProvisionedModelThroughputResponse,
} from "../../protocol/generated/strata-types.js";
import { paginate, sortByCreationTime } from "../../protocol/paginate.js";
import type { CapacityGates } from "../capacity-gates.js";
import { reservationShape } from "../capacity-plan.js";
import type { CostLedger } from "../cost/cost-ledger.js";
import { capacityKeyOf } from "../gated-engine.js";
import { provisionedModelArn } from "../provisioned-model-arns.js";
import type { ProvisionedThroughputService } from "../provisioned-throughput-service.js";
import type { Reservation } from "../provisioned-throughput-store.js";

export function provisionedThroughputOperations(
  service: ProvisionedThroughputService,
  context: ArnContext,
): Record<string, OperationHandler> {
  const summary = (reservation: Reservation): ProvisionedModelSummary => ({
    provisionedModelName: reservation.provisionedModelName,
    provisionedModelArn: provisionedModelArn(context, reservation.provisionedModelId),
    modelArn: reservation.modelArn,
    desiredModelArn: reservation.desiredModelArn,
    foundationModelArn: reservation.foundationModelArn,
    modelUnits: reservation.modelUnits,
    desiredModelUnits: reservation.desiredModelUnits,
    status: reservation.status,
    ...(reservation.commitmentDuration ? { commitmentDuration: reservation.commitmentDuration } : {}),
    ...(reservation.commitmentExpirationTime
      ? { commitmentExpirationTime: reservation.commitmentExpirationTime }
      : {}),
    creationTime: reservation.creationTime,
    lastModifiedTime: reservation.lastModifiedTime,
  });

  return {
    CreateProvisionedModelThroughput: operation<
      CreateProvisionedModelThroughputRequest,
      CreateProvisionedModelThroughputResponse
    >(async (_context, input) => {
      const reservation = await service.create({
        provisionedModelName: input.provisionedModelName,
        modelId: input.modelId,
        modelUnits: input.modelUnits,
        ...(input.commitmentDuration ? { commitmentDuration: input.commitmentDuration } : {}),
        ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
      });
      return { provisionedModelArn: provisionedModelArn(context, reservation.provisionedModelId) };
    }),

    GetProvisionedModelThroughput: operation<
      GetProvisionedModelThroughputRequest,
      GetProvisionedModelThroughputResponse
    >(async (_context, input) => {
      const reservation = await service.get(input.provisionedModelId);
      return {
        ...summary(reservation),
        ...(reservation.failureMessage ? { failureMessage: reservation.failureMessage } : {}),
      };
    }),

    ListProvisionedModelThroughputs: operation<
      ListProvisionedModelThroughputsRequest,
      ListProvisionedModelThroughputsResponse
    >(async (_context, input) => {
      const matching = (await service.list()).filter(
        (reservation) =>
          (!input.creationTimeAfter || reservation.creationTime > input.creationTimeAfter) &&
          (!input.creationTimeBefore || reservation.creationTime < input.creationTimeBefore) &&
          (!input.statusEquals || reservation.status === input.statusEquals) &&
          (!input.modelArnEquals || reservation.modelArn === input.modelArnEquals) &&
          (!input.nameContains || reservation.provisionedModelName.includes(input.nameContains)),
      );
      const page = paginate(
        sortByCreationTime(matching, input.sortOrder ?? "Descending"),
        input.maxResults,
        input.nextToken,
      );
      return {
        provisionedModelSummaries: page.items.map(summary),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }),

    UpdateProvisionedModelThroughput: operation<
      UpdateProvisionedModelThroughputRequest,
      UpdateProvisionedModelThroughputResponse
    >(async (_context, input) => {
      await service.update(input.provisionedModelId, {
        ...(input.desiredProvisionedModelName ? { name: input.desiredProvisionedModelName } : {}),
        ...(input.desiredModelId ? { modelId: input.desiredModelId } : {}),
      });
      return {};
    }),

    DeleteProvisionedModelThroughput: operation<
      DeleteProvisionedModelThroughputRequest,
      DeleteProvisionedModelThroughputResponse
    >(async (_context, input) => {
      await service.delete(input.provisionedModelId, { force: false });
      return {};
    }),
  };
}

export function provisionedThroughputExtensionOperations(
  service: ProvisionedThroughputService,
  gates: CapacityGates,
  costs: CostLedger,
  context: ArnContext,
): Record<string, OperationHandler> {
  return {
    GetProvisionedModelThroughputCapacity: operation<
      GetProvisionedModelThroughputCapacityRequest,
      GetProvisionedModelThroughputCapacityResponse
    >(async (_context, input) => {
      const reservation = await service.get(input.provisionedModelId);
      const active = service.activeReservation(reservation.provisionedModelId);
      const shape = reservationShape(reservation.modelUnits, service.host);
      const heldCores = await service.heldCores();
      const free = Math.max(0, service.host.reservableCores - heldCores);
      return {
        provisionedModelArn: provisionedModelArn(context, reservation.provisionedModelId),
        modelUnits: reservation.modelUnits,
        cores: shape.cores,
        sequences: shape.sequences,
        threads: shape.threads,
        queueLength: reservation.modelUnits * service.queuePerUnit,
        ...(active
          ? {
              tokensPerMinutePerModelUnit: active.unit.tokensPerMinute,
              reservedTokensPerMinute: active.unit.tokensPerMinute * reservation.modelUnits,
              measurement: { ...active.unit.measurement, measuredAt: active.unit.measuredAt.toISOString() },
              load: gates.load(capacityKeyOf(active.engineModel)) ?? { running: 0, waiting: 0 },
            }
          : {}),
        hostCapacity: {
          cores: service.host.cores,
          reservableCores: service.host.reservableCores,
          unitsPerCore: service.host.unitsPerCore,
          heldCores,
          freeModelUnits: free * service.host.unitsPerCore,
        },
      };
    }),

    GetProvisionedThroughputHostCapacity: operation<
      GetProvisionedThroughputHostCapacityRequest,
      GetProvisionedThroughputHostCapacityResponse
    >(async () => {
      const heldCores = await service.heldCores();
      const free = Math.max(0, service.host.reservableCores - heldCores);
      return {
        cores: service.host.cores,
        reservableCores: service.host.reservableCores,
        unitsPerCore: service.host.unitsPerCore,
        heldCores,
        freeModelUnits: free * service.host.unitsPerCore,
      };
    }),

    ResizeProvisionedModelThroughput: operation<
      ResizeProvisionedModelThroughputRequest,
      ResizeProvisionedModelThroughputResponse
    >(async (_context, input) => {
      await service.resize(input.provisionedModelId, input.desiredModelUnits);
      return {};
    }),

    ForceDeleteProvisionedModelThroughput: operation<
      ForceDeleteProvisionedModelThroughputRequest,
      ForceDeleteProvisionedModelThroughputResponse
    >(async (requestContext, input) => {
      requireAdmin(requestContext);
      await service.delete(input.provisionedModelId, { force: true });
      return {};
    }),

    GetCostSummary: operation<GetCostSummaryRequest, GetCostSummaryResponse>(async (_context, input) => {
      const to = input.to ?? new Date();
      const from = input.from ?? new Date(to.getTime() - 30 * 24 * 3_600_000);
      const rows = await costs.summarize({ from, to, ...(input.modelId ? { modelId: input.modelId } : {}) });
      return { rows, prices: costs.prices };
    }),
  };
}
