// Strata's extension operations around customization: dataset validation and advice, the dry run, live job
// progress, custom-model lineage and export (a classifier's head as GGUF: transfer-learning/classifier/). Bedrock
// has no equivalent; the CLI is their main client.

import { createReadStream } from "node:fs";
import { join } from "node:path";
import { localModelFilePath } from "../../catalog/local-model-registry.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import { ResourceNotFoundException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  AdviseCustomizationMethodRequest,
  AdviseCustomizationMethodResponse,
  EstimateModelCustomizationJobRequest,
  EstimateModelCustomizationJobResponse,
  ExportCustomModelRequest,
  ExportCustomModelResponse,
  GetCustomModelLineageRequest,
  GetCustomModelLineageResponse,
  GetModelCustomizationJobProgressRequest,
  GetModelCustomizationJobProgressResponse,
  ValidateDatasetRequest,
  ValidateDatasetResponse,
} from "../../protocol/generated/strata-types.js";
import { withClassifierGguf } from "../../transfer-learning/classifier/export-classifier-gguf.js";
import { adviseCustomizationMethod } from "../advisor/advise-customization-method.js";
import { sampleRecordShapes } from "../advisor/sample-record-shapes.js";
import { customizationJobArn } from "../customization-arns.js";
import type { CustomizationService } from "../customization-service.js";
import { DatasetNotFoundError, openDatasetStream } from "../datasets/dataset-lines.js";
import type { JobDataLimits } from "../datasets/prepare-job-data.js";
import { validateDatasetAt } from "../datasets/validate-dataset-at.js";
import {
  type EstimateDependencies,
  estimateCustomizationJob,
} from "../estimate/estimate-customization-job.js";
import type { CustomizationMetricsStore } from "../jobs/customization-metrics-store.js";
import { epochOfStep } from "../jobs/plan-training-steps.js";
import { resolveBaseModel } from "../jobs/resolve-base-model.js";
import { customModelArnOf, jobArnOf } from "./customization-job-shapes.js";

export interface CustomizationExtensionDependencies extends EstimateDependencies {
  service: CustomizationService;
  metrics: CustomizationMetricsStore;
  limits: JobDataLimits;
}

async function withDatasetFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatasetNotFoundError) throw new ResourceNotFoundException(error.message);
    throw error;
  }
}

export function customizationExtensionOperations(
  deps: CustomizationExtensionDependencies,
  context: ArnContext,
): Record<string, OperationHandler> {
  const { service } = deps;
  return {
    ValidateDataset: operation<ValidateDatasetRequest, ValidateDatasetResponse>(async (_request, input) => {
      const base = input.baseModelIdentifier
        ? await resolveBaseModel(input.baseModelIdentifier, "FINE_TUNING", deps)
        : undefined;
      const tokenizerModel = base
        ? await deps.tokenizers.get(localModelFilePath(deps.dataDirectory, { filePath: base.baseModelFile }))
        : undefined;
      const report = await withDatasetFound(() =>
        validateDatasetAt(input.s3Uri, {
          objectStores: deps.objectStores,
          fieldName: "s3Uri",
          limits: input.validation ? deps.limits.validation : deps.limits.training,
          ...(tokenizerModel && base
            ? { tokenizer: { model: tokenizerModel, contextLength: base.contextLength } }
            : {}),
        }),
      );
      return { report: { valid: report.problems.length === 0, ...report } };
    }),

    AdviseCustomizationMethod: operation<AdviseCustomizationMethodRequest, AdviseCustomizationMethodResponse>(
      async (_request, input) => {
        const shapes = await withDatasetFound(async () =>
          sampleRecordShapes(await openDatasetStream(input.s3Uri, deps.objectStores, "s3Uri")),
        );
        return adviseCustomizationMethod(shapes, input.goal);
      },
    ),

    EstimateModelCustomizationJob: operation<
      EstimateModelCustomizationJobRequest,
      EstimateModelCustomizationJobResponse
    >(async (_request, input) => withDatasetFound(() => estimateCustomizationJob(input, deps))),

    GetModelCustomizationJobProgress: operation<
      GetModelCustomizationJobProgressRequest,
      GetModelCustomizationJobProgressResponse
    >(async (_request, input) => {
      const job = await service.getJob(input.jobIdentifier);
      const metrics = await deps.metrics.list(job.jobId, undefined, input.afterStep ?? -1);
      const remaining = job.totalSteps === undefined ? undefined : job.totalSteps - job.currentStep;
      const secondsPerStep = await deps.metrics.recentSecondsPerStep(job.jobId);
      return {
        jobArn: jobArnOf(context, job),
        jobName: job.jobName,
        status: job.status,
        phase: job.phase,
        step: job.currentStep,
        ...(job.totalSteps === undefined ? {} : { totalSteps: job.totalSteps }),
        ...(job.stepsPerEpoch === undefined
          ? {}
          : { stepsPerEpoch: job.stepsPerEpoch, epoch: epochOfStep(job.currentStep, job.stepsPerEpoch) }),
        epochCount: Number(job.hyperParameters.epochCount),
        ...(job.trainingLoss === undefined ? {} : { trainingLoss: job.trainingLoss }),
        ...(job.validationLosses?.[0] === undefined ? {} : { validationLoss: job.validationLosses[0] }),
        ...(job.tokensPerSecond === undefined ? {} : { tokensPerSecond: job.tokensPerSecond }),
        ...(remaining !== undefined && secondsPerStep !== undefined && job.status === "InProgress"
          ? { etaSeconds: remaining * secondsPerStep }
          : {}),
        ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
        ...(job.status === "Completed" && job.customModelId
          ? {
              outputModelArn: customModelArnOf(context, {
                baseModelId: job.baseModelId,
                customModelId: job.customModelId,
              }),
            }
          : {}),
        metrics: metrics.map(({ recordedAt: _recordedAt, ...point }) => point),
      };
    }),

    GetCustomModelLineage: operation<GetCustomModelLineageRequest, GetCustomModelLineageResponse>(
      async (_request, input) => {
        const model = await service.getCustomModel(input.modelIdentifier);
        return {
          modelArn: customModelArnOf(context, model),
          modelName: model.modelName,
          jobArn: customizationJobArn(context, model.baseModelId, model.jobId),
          trainingMethod: model.trainingMethod,
          artifactKind: model.artifactKind,
          fileSizeBytes: model.fileSizeBytes,
          baseModelFile: model.baseModelFile,
          artifactFile: model.artifactFile,
          lineage: model.lineage,
          ...(model.evaluation
            ? { evaluation: { ...model.evaluation, evaluatedAt: new Date(model.evaluation.evaluatedAt) } }
            : {}),
        };
      },
    ),

    ExportCustomModel: operation<ExportCustomModelRequest, ExportCustomModelResponse>(
      async (_request, input) => {
        const model = await service.getCustomModel(input.modelIdentifier);
        const s3Uri =
          input.s3Uri ?? `s3://${deps.objectStores.defaultBucket}/exports/${model.modelName}.gguf`;
        const { store, key } = deps.objectStores.resolve(s3Uri, "s3Uri");
        const upload = (path: string) =>
          store.put(key, createReadStream(path), { contentType: "application/octet-stream" });
        let fileSizeBytes = model.fileSizeBytes;
        // A classifier's artifact is its JSON head; what leaves Strata is that head converted to GGUF.
        if (model.artifactKind === "classification-head")
          fileSizeBytes = await withClassifierGguf(model, deps.dataDirectory, async (file) => {
            await upload(file.path);
            return file.fileSizeBytes;
          });
        else await upload(join(deps.dataDirectory, model.artifactFile));
        return { s3Uri, artifactKind: model.artifactKind, fileSizeBytes, baseModelId: model.baseModelId };
      },
    ),
  };
}
