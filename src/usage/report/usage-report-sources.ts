// Where the usage report reads from: the usage ledger, the local-model registry (parameter counts), the
// customization and pretraining job stores (with the custom models' lineage for trained tokens) and the
// provisioned-throughput store's billing periods. The composition root hands these in; nothing here writes.
import { foundationModelArn } from "../../catalog/catalog.js";
import type { LocalModelRegistry } from "../../catalog/local-model-registry.js";
import type { CustomModelRegistry } from "../../customization/custom-models/custom-model-registry.js";
import { customizationJobArn, customModelArn } from "../../customization/customization-arns.js";
import type { CustomizationJobStore } from "../../customization/jobs/customization-job-store.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import type { PretrainingJobStore } from "../../pretraining/jobs/pretraining-job-store.js";
import { recipeForRequest } from "../../pretraining/jobs/recipe-for-request.js";
import { termOf } from "../../provisioned-throughput/cost/reservation-prices.js";
import { provisionedModelArn } from "../../provisioned-throughput/provisioned-model-arns.js";
import type { ProvisionedThroughputStore } from "../../provisioned-throughput/provisioned-throughput-store.js";
import type { UsageLedger } from "../usage-ledger.js";
import type { UsageReportSources } from "./build-usage-report.js";
import type { TrainingJobRecord } from "./training-job-costs.js";

export interface UsageReportStores {
  context: ArnContext;
  usage: UsageLedger;
  localModels: LocalModelRegistry;
  customizationJobs: CustomizationJobStore;
  customModels: CustomModelRegistry;
  pretrainingJobs: PretrainingJobStore;
  reservations: ProvisionedThroughputStore;
}

export function usageReportSources(stores: UsageReportStores): UsageReportSources {
  const { context } = stores;
  const parameterCountOf = async (modelId: string) =>
    (await stores.localModels.find(modelId))?.parameterCount;
  return {
    invocations: (query) => stores.usage.query(query),

    parameterCounts: async (modelIds) => {
      const counts = new Map<string, number>();
      for (const modelId of modelIds) {
        const count = await parameterCountOf(modelId);
        if (count !== undefined) counts.set(modelId, count);
      }
      return counts;
    },

    trainingJobs: async () => {
      const customModelsByJob = new Map(
        (await stores.customModels.list()).map((model) => [model.jobId, model]),
      );
      const records: TrainingJobRecord[] = [];
      for (const job of await stores.customizationJobs.list()) {
        const customModel = customModelsByJob.get(job.jobId);
        const parameterCount = await parameterCountOf(job.baseModelId);
        const outputArn = job.customModelId
          ? customModelArn(context, job.baseModelId, job.customModelId)
          : undefined;
        records.push({
          jobKind: "customization",
          jobId: job.jobId,
          jobName: job.jobName,
          status: job.status,
          baseModelId: job.baseModelId,
          outputModelId: outputArn ?? job.customModelName,
          ...(parameterCount === undefined ? {} : { parameterCount }),
          creationTime: job.creationTime,
          ...(job.endTime ? { endTime: job.endTime } : {}),
          ...(customModel ? { trainedTokens: customModel.lineage.trainedTokens } : {}),
          identifiers: [
            job.jobId,
            job.jobName,
            customizationJobArn(context, job.baseModelId, job.jobId),
            job.baseModelId,
            foundationModelArn(context.region, job.baseModelId),
            job.customModelName,
            ...(outputArn ? [outputArn] : []),
          ],
        });
      }
      for (const job of await stores.pretrainingJobs.list()) {
        const recipe = recipeForRequest(job.request);
        records.push({
          jobKind: "pretraining",
          jobId: job.jobId,
          jobName: job.jobName,
          status: job.status,
          outputModelId: job.modelId,
          ...(job.progress.parameterCount === undefined
            ? {}
            : { parameterCount: job.progress.parameterCount }),
          creationTime: job.creationTime,
          ...(job.endTime ? { endTime: job.endTime } : {}),
          trainedTokens: job.progress.step * recipe.rowsPerStep * recipe.sequenceLength,
          identifiers: [job.jobId, job.jobName, job.modelId, foundationModelArn(context.region, job.modelId)],
        });
      }
      return records;
    },

    reservationPeriods: async (range) => {
      const live = new Map(
        (await stores.reservations.list()).map((entry) => [entry.provisionedModelId, entry]),
      );
      return (await stores.reservations.periods(range)).map((period) => {
        const arn = provisionedModelArn(context, period.provisionedModelId);
        const reservation = live.get(period.provisionedModelId);
        return {
          provisionedModelArn: arn,
          modelArn: period.modelArn,
          commitmentTerm: termOf(period.commitmentDuration),
          modelUnits: period.modelUnits,
          pricePerUnitHourUsd: period.pricePerUnitHourUsd,
          startedAt: period.startedAt,
          ...(period.endedAt ? { endedAt: period.endedAt } : {}),
          identifiers: [
            arn,
            period.provisionedModelId,
            period.modelArn,
            ...(reservation ? [reservation.provisionedModelName, reservation.foundationModelArn] : []),
          ],
        };
      });
    },
  };
}
