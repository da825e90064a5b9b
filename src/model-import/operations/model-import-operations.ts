// The Bedrock control-plane operations of Custom Model Import, over ModelImportService.
import type { LocalModel } from "../../catalog/local-model-registry.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  CreateModelImportJobRequest,
  CreateModelImportJobResponse,
  DeleteImportedModelRequest,
  DeleteImportedModelResponse,
  GetImportedModelRequest,
  GetImportedModelResponse,
  GetModelImportJobRequest,
  GetModelImportJobResponse,
  ImportedModelSummary,
  ListImportedModelsRequest,
  ListImportedModelsResponse,
  ListModelImportJobsRequest,
  ListModelImportJobsResponse,
  ModelImportJobSummary,
} from "../../protocol/generated/bedrock-types.js";
import { paginate, sortByCreationTime } from "../../protocol/paginate.js";
import type { ModelImportJob } from "../model-import-job-store.js";
import type { ModelImportService } from "../model-import-service.js";
import { type ArnContext, importedModelArn, modelImportJobArn } from "../resource-ids.js";

function jobSummary(context: ArnContext, job: ModelImportJob): ModelImportJobSummary {
  return {
    jobArn: modelImportJobArn(context, job.jobId),
    jobName: job.jobName,
    status: job.status,
    creationTime: job.creationTime,
    lastModifiedTime: job.lastModifiedTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    importedModelName: job.importedModelName,
    ...(job.importedModelId ? { importedModelArn: importedModelArn(context, job.importedModelId) } : {}),
  };
}

function importedModelSummary(context: ArnContext, model: LocalModel): ImportedModelSummary {
  return {
    modelArn: importedModelArn(context, model.importedModelId ?? ""),
    modelName: model.modelName,
    creationTime: model.creationTime,
    instructSupported: model.chatTemplate !== undefined,
    modelArchitecture: model.architecture,
  };
}

export function modelImportOperations(
  service: ModelImportService,
  context: ArnContext,
): Record<string, OperationHandler> {
  return {
    CreateModelImportJob: operation<CreateModelImportJobRequest, CreateModelImportJobResponse>(
      async (_request, input) => {
        const job = await service.createJob({
          jobName: input.jobName,
          importedModelName: input.importedModelName,
          roleArn: input.roleArn,
          s3Uri: input.modelDataSource.s3DataSource?.s3Uri ?? "",
          ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
        });
        return { jobArn: modelImportJobArn(context, job.jobId) };
      },
    ),

    GetModelImportJob: operation<GetModelImportJobRequest, GetModelImportJobResponse>(
      async (_request, input) => {
        const job = await service.getJob(input.jobIdentifier);
        return {
          ...jobSummary(context, job),
          roleArn: job.roleArn,
          modelDataSource: { s3DataSource: { s3Uri: job.s3Uri } },
          ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
        };
      },
    ),

    ListModelImportJobs: operation<ListModelImportJobsRequest, ListModelImportJobsResponse>(
      async (_request, input) => {
        const jobs = (await service.listJobs()).filter(
          (job) =>
            (!input.statusEquals || job.status === input.statusEquals) &&
            (!input.nameContains || job.jobName.includes(input.nameContains)) &&
            (!input.creationTimeAfter || job.creationTime > input.creationTimeAfter) &&
            (!input.creationTimeBefore || job.creationTime < input.creationTimeBefore),
        );
        const page = paginate(sortByCreationTime(jobs, input.sortOrder), input.maxResults, input.nextToken);
        return {
          modelImportJobSummaries: page.items.map((job) => jobSummary(context, job)),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },
    ),

    GetImportedModel: operation<GetImportedModelRequest, GetImportedModelResponse>(
      async (_request, input) => {
        const model = await service.getImportedModel(input.modelIdentifier);
        const job = model.importJobId
          ? await service.getJob(modelImportJobArn(context, model.importJobId))
          : undefined;
        return {
          ...importedModelSummary(context, model),
          ...(job
            ? {
                jobName: job.jobName,
                jobArn: modelImportJobArn(context, job.jobId),
                modelDataSource: { s3DataSource: { s3Uri: job.s3Uri } },
              }
            : {}),
        };
      },
    ),

    ListImportedModels: operation<ListImportedModelsRequest, ListImportedModelsResponse>(
      async (_request, input) => {
        const models = (await service.listImportedModels()).filter(
          (model) =>
            (!input.nameContains || model.modelName.includes(input.nameContains)) &&
            (!input.creationTimeAfter || model.creationTime > input.creationTimeAfter) &&
            (!input.creationTimeBefore || model.creationTime < input.creationTimeBefore),
        );
        const page = paginate(sortByCreationTime(models, input.sortOrder), input.maxResults, input.nextToken);
        return {
          modelSummaries: page.items.map((model) => importedModelSummary(context, model)),
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
        };
      },
    ),

    DeleteImportedModel: operation<DeleteImportedModelRequest, DeleteImportedModelResponse>(
      async (_request, input) => {
        await service.deleteImportedModel(input.modelIdentifier);
        return {};
      },
    ),
  };
}
