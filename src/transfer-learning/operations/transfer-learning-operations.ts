// Strata's extension operations of transfer learning: CreateTransferLearningJob, GetTransferLearningJob and
// Classify, over the service and the classifier. Listing and stopping the jobs are Bedrock's
// ListModelCustomizationJobs and StopModelCustomizationJob: they are customization jobs.
import { foundationModelArn } from "../../catalog/catalog.js";
import { customizationJobArn, customModelArn } from "../../customization/customization-arns.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import { AwsError } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  ClassifyRequest,
  ClassifyResponse,
  CreateTransferLearningJobRequest,
  CreateTransferLearningJobResponse,
  GetTransferLearningJobRequest,
  GetTransferLearningJobResponse,
} from "../../protocol/generated/strata-types.js";
import type { UsageRecorder } from "../../usage/invocation-record.js";
import type { ClassifierService } from "../serving/classifier-service.js";
import type { TransferLearningService } from "../transfer-learning-service.js";

export function transferLearningOperations(
  service: TransferLearningService,
  classifier: ClassifierService,
  context: ArnContext,
  usage: UsageRecorder,
): Record<string, OperationHandler> {
  return {
    CreateTransferLearningJob: operation<CreateTransferLearningJobRequest, CreateTransferLearningJobResponse>(
      async (_request, input) => {
        const job = await service.createJob({
          jobName: input.jobName,
          customModelName: input.customModelName,
          baseModelIdentifier: input.baseModelIdentifier,
          trainingDataS3Uri: input.trainingDataConfig.s3Uri,
          ...(input.validationDataConfig ? { validationDataS3Uri: input.validationDataConfig.s3Uri } : {}),
          ...(input.testDataConfig ? { testDataS3Uri: input.testDataConfig.s3Uri } : {}),
          outputDataS3Uri: input.outputDataConfig.s3Uri,
          ...(input.hyperParameters ? { hyperParameters: input.hyperParameters } : {}),
          ...(input.roleArn ? { roleArn: input.roleArn } : {}),
          ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
        });
        return { jobArn: customizationJobArn(context, job.baseModelId, job.jobId) };
      },
    ),

    GetTransferLearningJob: operation<GetTransferLearningJobRequest, GetTransferLearningJobResponse>(
      async (_request, input) => {
        const { job, details } = await service.getJob(input.jobIdentifier);
        return {
          jobArn: customizationJobArn(context, job.baseModelId, job.jobId),
          jobName: job.jobName,
          status: job.status,
          phase: job.phase,
          ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
          baseModelArn: foundationModelArn(context.region, job.baseModelId),
          customModelName: job.customModelName,
          ...(job.status === "Completed" && job.customModelId
            ? { customModelArn: customModelArn(context, job.baseModelId, job.customModelId) }
            : {}),
          trainingDataUri: job.trainingDataUri,
          ...(job.validationDataUris[0] ? { validationDataUri: job.validationDataUris[0] } : {}),
          ...(details.testDataUri ? { testDataUri: details.testDataUri } : {}),
          hyperParameters: job.hyperParameters,
          ...(details.labels ? { labels: details.labels } : {}),
          embeddedTexts: details.embeddedTexts,
          ...(details.textsToEmbed === undefined ? {} : { textsToEmbed: details.textsToEmbed }),
          ...(details.headTraining ? { heads: details.headTraining } : {}),
          ...(details.evaluation ? { evaluation: details.evaluation } : {}),
          creationTime: job.creationTime,
          ...(job.endTime ? { endTime: job.endTime } : {}),
        };
      },
    ),

    // Every Classify is an invocation of the usage ledger, as Converse is: the embedded tokens are its input.
    Classify: operation<ClassifyRequest, ClassifyResponse>(async (request, input) => {
      const startedAt = new Date();
      const record = (status: string, modelId: string, inputTokens: number) =>
        usage.record({
          requestId: request.requestId,
          requestedModelId: input.modelId,
          modelId,
          servedBy: "LOCAL_ENGINE",
          operation: "Classify",
          callerKeyId: request.caller.keyId,
          inputTokens,
          outputTokens: 0,
          latencyMs: Date.now() - startedAt.getTime(),
          status,
          startedAt,
        });
      const classified = await classifier.classify(input.modelId, input.texts).catch((error: unknown) => {
        record(error instanceof AwsError ? error.errorType : "InternalServerException", input.modelId, 0);
        throw error;
      });
      record("success", classified.modelId, classified.inputTokens);
      return {
        modelId: classified.modelId,
        customModelArn: customModelArn(
          context,
          classified.customModel.baseModelId,
          classified.customModel.customModelId,
        ),
        labels: classified.labels,
        results: classified.results,
      };
    }),
  };
}
