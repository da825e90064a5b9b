// Evaluation jobs in Bedrock's response shapes (GetEvaluationJob, ListEvaluationJobs' summaries) and in
// Strata's GetEvaluationJobResults.
import type { ArnContext } from "../../model-import/resource-ids.js";
import type {
  EvaluationSummary as BedrockEvaluationSummary,
  GetEvaluationJobResponse,
} from "../../protocol/generated/bedrock-types.js";
import type { GetEvaluationJobResultsResponse } from "../../protocol/generated/strata-types.js";
import { evaluationJobArn } from "../evaluation-arns.js";
import type { EvaluationJob } from "../jobs/evaluation-job-store.js";

export function evaluationJobDetails(context: ArnContext, job: EvaluationJob): GetEvaluationJobResponse {
  const { request } = job;
  return {
    jobName: job.jobName,
    status: job.status,
    jobArn: evaluationJobArn(context, job.jobId),
    ...(request.jobDescription ? { jobDescription: request.jobDescription } : {}),
    roleArn: request.roleArn,
    ...(request.customerEncryptionKeyId ? { customerEncryptionKeyId: request.customerEncryptionKeyId } : {}),
    jobType: "Automated",
    applicationType: request.applicationType ?? "ModelEvaluation",
    evaluationConfig: request.evaluationConfig,
    inferenceConfig: request.inferenceConfig,
    outputDataConfig: request.outputDataConfig,
    creationTime: job.creationTime,
    lastModifiedTime: job.lastModifiedTime,
    ...(job.failureMessages.length > 0 ? { failureMessages: job.failureMessages } : {}),
  };
}

export function evaluationJobSummary(context: ArnContext, job: EvaluationJob): BedrockEvaluationSummary {
  const modelIdentifiers = job.plan.models.map((model) => model.modelIdentifier);
  return {
    jobArn: evaluationJobArn(context, job.jobId),
    jobName: job.jobName,
    status: job.status,
    creationTime: job.creationTime,
    jobType: "Automated",
    evaluationTaskTypes: [...new Set(job.plan.datasets.map((dataset) => dataset.taskType))],
    modelIdentifiers,
    ...(job.plan.judge ? { evaluatorModelIdentifiers: [job.plan.judge.modelIdentifier] } : {}),
    inferenceConfigSummary: { modelConfigSummary: { bedrockModelIdentifiers: modelIdentifiers } },
    applicationType: job.request.applicationType ?? "ModelEvaluation",
  };
}

export function evaluationJobResults(
  context: ArnContext,
  job: EvaluationJob,
): GetEvaluationJobResultsResponse {
  return {
    jobArn: evaluationJobArn(context, job.jobId),
    jobName: job.jobName,
    status: job.status,
    ...(job.failureMessages.length > 0 ? { failureMessages: job.failureMessages } : {}),
    progress: job.progress,
    ...(job.resultsS3Uri ? { resultsS3Uri: job.resultsS3Uri } : {}),
    ...(job.reportS3Uri ? { reportS3Uri: job.reportS3Uri } : {}),
    datasets: (job.results?.datasets ?? []).map((dataset) => ({
      ...dataset,
      models: dataset.models.map((model) => ({
        ...model,
        metrics: model.metrics as Record<string, number>,
        categories: model.categories.map((category) => ({
          ...category,
          metrics: category.metrics as Record<string, number>,
        })),
      })),
    })),
  };
}
