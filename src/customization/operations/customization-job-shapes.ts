// Customization jobs and custom models in Bedrock's response shapes.

import { foundationModelArn } from "../../catalog/catalog.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import type {
  CustomizationType,
  CustomModelSummary,
  GetCustomModelResponse,
  GetModelCustomizationJobResponse,
  JobStatusDetails,
  ModelCustomizationJobSummary,
  StatusDetails,
} from "../../protocol/generated/bedrock-types.js";
import type { CustomModel } from "../custom-models/custom-model-registry.js";
import { customizationJobArn, customModelArn } from "../customization-arns.js";
import type { CustomizationJob } from "../jobs/customization-job-store.js";

/**
 * Bedrock's stages from the job's phase: validation happened before the job was accepted (always Completed);
 * data processing and training are NotStarted, then take the job's state, then Completed. A job that ended
 * without completing ended in training once its steps were planned, else in data processing.
 */
function statusDetails(job: CustomizationJob): StatusDetails {
  const reached =
    job.phase === "Done"
      ? job.totalSteps === undefined
        ? 1
        : 2
      : job.phase === "Training" || job.phase === "Evaluating" || job.phase === "Registering"
        ? 2
        : 1;
  const stage = (index: 1 | 2) => {
    let status: JobStatusDetails;
    if (job.status === "Completed" || reached > index) status = "Completed";
    else if (reached < index) status = "NotStarted";
    else if (job.status === "InProgress") status = job.phase === "Queued" ? "NotStarted" : "InProgress";
    else status = job.status;
    return { status, creationTime: job.creationTime, lastModifiedTime: job.lastModifiedTime };
  };
  return {
    validationDetails: {
      status: "Completed",
      creationTime: job.creationTime,
      lastModifiedTime: job.creationTime,
    },
    dataProcessingDetails: stage(1),
    trainingDetails: stage(2),
  };
}

/** Strata's TRANSFER_LEARNING is outside Bedrock's enum; the SDKs pass enum values they do not know through. */
function wireCustomizationType(type: CustomizationJob["customizationType"]): CustomizationType {
  return type as CustomizationType;
}

export function jobArnOf(context: ArnContext, job: CustomizationJob): string {
  return customizationJobArn(context, job.baseModelId, job.jobId);
}

export function customModelArnOf(
  context: ArnContext,
  model: Pick<CustomModel, "baseModelId" | "customModelId">,
): string {
  return customModelArn(context, model.baseModelId, model.customModelId);
}

export function jobSummary(context: ArnContext, job: CustomizationJob): ModelCustomizationJobSummary {
  const modelArn =
    job.status === "Completed" && job.customModelId
      ? customModelArn(context, job.baseModelId, job.customModelId)
      : undefined;
  return {
    jobArn: jobArnOf(context, job),
    baseModelArn: foundationModelArn(context.region, job.baseModelId),
    jobName: job.jobName,
    status: job.status,
    statusDetails: statusDetails(job),
    lastModifiedTime: job.lastModifiedTime,
    creationTime: job.creationTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    ...(modelArn ? { customModelArn: modelArn } : {}),
    customModelName: job.customModelName,
    customizationType: wireCustomizationType(job.customizationType),
  };
}

export function jobDetails(context: ArnContext, job: CustomizationJob): GetModelCustomizationJobResponse {
  const summary = jobSummary(context, job);
  return {
    jobArn: summary.jobArn,
    jobName: job.jobName,
    outputModelName: job.customModelName,
    ...(summary.customModelArn ? { outputModelArn: summary.customModelArn } : {}),
    ...(job.clientRequestToken ? { clientRequestToken: job.clientRequestToken } : {}),
    roleArn: job.roleArn,
    status: job.status,
    ...(summary.statusDetails ? { statusDetails: summary.statusDetails } : {}),
    ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
    creationTime: job.creationTime,
    lastModifiedTime: job.lastModifiedTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    baseModelArn: summary.baseModelArn,
    hyperParameters: job.hyperParameters,
    trainingDataConfig: { s3Uri: job.trainingDataUri },
    validationDataConfig: { validators: job.validationDataUris.map((s3Uri) => ({ s3Uri })) },
    outputDataConfig: { s3Uri: job.outputDataUri },
    customizationType: wireCustomizationType(job.customizationType),
    ...(job.trainingLoss === undefined ? {} : { trainingMetrics: { trainingLoss: job.trainingLoss } }),
    ...(job.validationLosses
      ? { validationMetrics: job.validationLosses.map((validationLoss) => ({ validationLoss })) }
      : {}),
  };
}

export function customModelSummary(context: ArnContext, model: CustomModel): CustomModelSummary {
  return {
    modelArn: customModelArnOf(context, model),
    modelName: model.modelName,
    creationTime: model.creationTime,
    baseModelArn: foundationModelArn(context.region, model.baseModelId),
    baseModelName: model.baseModelId,
    customizationType: wireCustomizationType(model.customizationType),
    ownerAccountId: context.accountId,
    modelStatus: "Active",
  };
}

export function customModelDetails(context: ArnContext, model: CustomModel): GetCustomModelResponse {
  return {
    modelArn: customModelArnOf(context, model),
    modelName: model.modelName,
    jobName: model.jobName,
    jobArn: customizationJobArn(context, model.baseModelId, model.jobId),
    baseModelArn: foundationModelArn(context.region, model.baseModelId),
    customizationType: wireCustomizationType(model.customizationType),
    hyperParameters: model.hyperParameters,
    trainingDataConfig: { s3Uri: model.trainingDataUri },
    validationDataConfig: { validators: model.validationDataUris.map((s3Uri) => ({ s3Uri })) },
    outputDataConfig: { s3Uri: model.outputDataUri },
    ...(model.trainingLoss === undefined ? {} : { trainingMetrics: { trainingLoss: model.trainingLoss } }),
    validationMetrics: model.validationLosses.map((validationLoss) => ({ validationLoss })),
    creationTime: model.creationTime,
    modelStatus: "Active",
  };
}
