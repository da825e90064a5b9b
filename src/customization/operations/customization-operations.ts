// The Bedrock control-plane operations of model customization, over CustomizationService.

import { foundationModelArn } from "../../catalog/catalog.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import { unmodelledMembers, type WithUnmodelledMembers } from "../../protocol/encode-response.js";
import type {
  CreateModelCustomizationJobRequest,
  CreateModelCustomizationJobResponse,
  DeleteCustomModelRequest,
  DeleteCustomModelResponse,
  GetCustomModelRequest,
  GetCustomModelResponse,
  GetModelCustomizationJobRequest,
  GetModelCustomizationJobResponse,
  ListCustomModelsRequest,
  ListCustomModelsResponse,
  ListModelCustomizationJobsRequest,
  ListModelCustomizationJobsResponse,
  StopModelCustomizationJobRequest,
  StopModelCustomizationJobResponse,
} from "../../protocol/generated/bedrock-types.js";
import { paginate, sortByCreationTime } from "../../protocol/paginate.js";
import type { CustomizationService } from "../customization-service.js";
import {
  customModelDetails,
  customModelSummary,
  jobArnOf,
  jobDetails,
  jobSummary,
} from "./customization-job-shapes.js";

export function customizationOperations(
  service: CustomizationService,
  context: ArnContext,
): Record<string, OperationHandler> {
  return {
    CreateModelCustomizationJob: operation<
      CreateModelCustomizationJobRequest,
      CreateModelCustomizationJobResponse
    >(async (_request, input) => {
      const job = await service.createJob({
        jobName: input.jobName,
        customModelName: input.customModelName,
        roleArn: input.roleArn,
        baseModelIdentifier: input.baseModelIdentifier,
        ...(input.customizationType ? { customizationType: input.customizationType } : {}),
        ...(input.trainingDataConfig.s3Uri ? { trainingDataS3Uri: input.trainingDataConfig.s3Uri } : {}),
        usesInvocationLogs: input.trainingDataConfig.invocationLogsConfig !== undefined,
        validationDataS3Uris: (input.validationDataConfig?.validators ?? []).map(
          (validator) => validator.s3Uri,
        ),
        outputDataS3Uri: input.outputDataConfig.s3Uri,
        ...(input.hyperParameters ? { hyperParameters: input.hyperParameters } : {}),
        ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
        customizationConfigGiven: input.customizationConfig !== undefined,
      });
      return { jobArn: jobArnOf(context, job) };
    }),

    GetModelCustomizationJob: operation<GetModelCustomizationJobRequest, GetModelCustomizationJobResponse>(
      async (_request, input) => jobDetails(context, await service.getJob(input.jobIdentifier)),
    ),

    ListModelCustomizationJobs: operation<
      ListModelCustomizationJobsRequest,
      ListModelCustomizationJobsResponse
    >(async (_request, input) => {
      const jobs = (await service.listJobs()).filter(
        (job) =>
          (!input.statusEquals || job.status === input.statusEquals) &&
          (!input.nameContains || job.jobName.includes(input.nameContains)) &&
          (!input.creationTimeAfter || job.creationTime > input.creationTimeAfter) &&
          (!input.creationTimeBefore || job.creationTime < input.creationTimeBefore),
      );
      const page = paginate(sortByCreationTime(jobs, input.sortOrder), input.maxResults, input.nextToken);
      return {
        modelCustomizationJobSummaries: page.items.map((job) => jobSummary(context, job)),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }),

    StopModelCustomizationJob: operation<StopModelCustomizationJobRequest, StopModelCustomizationJobResponse>(
      async (_request, input) => {
        await service.stopJob(input.jobIdentifier);
        return {};
      },
    ),

    GetCustomModel: operation<GetCustomModelRequest, WithUnmodelledMembers<GetCustomModelResponse>>(
      async (_request, input) => {
        const model = await service.getCustomModel(input.modelIdentifier);
        // Strata's addition: the base-vs-custom evaluation the job ran, next to Bedrock's members.
        return {
          ...customModelDetails(context, model),
          ...(model.evaluation ? { [unmodelledMembers]: { strataEvaluation: model.evaluation } } : {}),
        };
      },
    ),

    ListCustomModels: operation<ListCustomModelsRequest, ListCustomModelsResponse>(
      async (_request, input) => {
        const models = (await service.listCustomModels()).filter((model) => {
          const baseArn = foundationModelArn(context.region, model.baseModelId);
          return (
            (!input.nameContains || model.modelName.includes(input.nameContains)) &&
            (!input.creationTimeAfter || model.creationTime > input.creationTimeAfter) &&
            (!input.creationTimeBefore || model.creationTime < input.creationTimeBefore) &&
            (!input.baseModelArnEquals || input.baseModelArnEquals === baseArn) &&
            (!input.foundationModelArnEquals || input.foundationModelArnEquals === baseArn) &&
            // Every custom model here is owned by this account and Active (registered only when complete).
            input.isOwned !== false &&
            (!input.modelStatus || input.modelStatus === "Active")
          );
        });
        const page = paginate(sortByCreationTime(models, input.sortOrder), input.maxResults, input.nextToken);
        return {
          modelSummaries: page.items.map((model) => customModelSummary(context, model)),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },
    ),

    DeleteCustomModel: operation<DeleteCustomModelRequest, DeleteCustomModelResponse>(
      async (_request, input) => {
        await service.deleteCustomModel(input.modelIdentifier);
        return {};
      },
    ),
  };
}
