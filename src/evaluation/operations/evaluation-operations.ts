// Bedrock's evaluation-job operations (CreateEvaluationJob, GetEvaluationJob, ListEvaluationJobs,
// StopEvaluationJob) and Strata's GetEvaluationJobResults, over EvaluationService.
import type { ArnContext } from "../../model-import/resource-ids.js";
import { ResourceNotFoundException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  CreateEvaluationJobRequest,
  CreateEvaluationJobResponse,
  GetEvaluationJobRequest,
  GetEvaluationJobResponse,
  ListEvaluationJobsRequest,
  ListEvaluationJobsResponse,
  StopEvaluationJobRequest,
  StopEvaluationJobResponse,
} from "../../protocol/generated/bedrock-types.js";
import type {
  GetEvaluationJobResultsRequest,
  GetEvaluationJobResultsResponse,
} from "../../protocol/generated/strata-types.js";
import { paginate, sortByCreationTime } from "../../protocol/paginate.js";
import { evaluationJobArn, evaluationJobIdFromArn } from "../evaluation-arns.js";
import type { EvaluationService } from "../evaluation-service.js";
import type { EvaluationJob } from "../jobs/evaluation-job-store.js";
import { evaluationJobDetails, evaluationJobResults, evaluationJobSummary } from "./evaluation-job-shapes.js";

export function evaluationOperations(
  service: EvaluationService,
  context: ArnContext,
): { bedrock: Record<string, OperationHandler>; strata: Record<string, OperationHandler> } {
  return {
    bedrock: {
      CreateEvaluationJob: operation<CreateEvaluationJobRequest, CreateEvaluationJobResponse>(
        async (_request, input) => ({
          jobArn: evaluationJobArn(context, (await service.createJob(input)).jobId),
        }),
      ),
      GetEvaluationJob: operation<GetEvaluationJobRequest, GetEvaluationJobResponse>(
        async (_request, input) => evaluationJobDetails(context, await service.getJob(input.jobIdentifier)),
      ),
      ListEvaluationJobs: operation<ListEvaluationJobsRequest, ListEvaluationJobsResponse>(
        async (_request, input) => {
          const jobs = (await service.listJobs()).filter(
            (job) =>
              (!input.statusEquals || job.status === input.statusEquals) &&
              (!input.applicationTypeEquals ||
                (job.request.applicationType ?? "ModelEvaluation") === input.applicationTypeEquals) &&
              (!input.nameContains || job.jobName.includes(input.nameContains)) &&
              (!input.creationTimeAfter || job.creationTime > input.creationTimeAfter) &&
              (!input.creationTimeBefore || job.creationTime < input.creationTimeBefore),
          );
          const page = paginate(sortByCreationTime(jobs, input.sortOrder), input.maxResults, input.nextToken);
          return {
            jobSummaries: page.items.map((job) => evaluationJobSummary(context, job)),
            ...(page.nextToken ? { nextToken: page.nextToken } : {}),
          };
        },
      ),
      StopEvaluationJob: operation<StopEvaluationJobRequest, StopEvaluationJobResponse>(
        async (_request, input) => {
          await service.stopJob(input.jobIdentifier);
          return {};
        },
      ),
    },
    strata: {
      GetEvaluationJobResults: operation<GetEvaluationJobResultsRequest, GetEvaluationJobResultsResponse>(
        async (_request, input) =>
          evaluationJobResults(context, await findByArnOrName(service, input.jobIdentifier)),
      ),
    },
  };
}

async function findByArnOrName(service: EvaluationService, identifier: string): Promise<EvaluationJob> {
  if (evaluationJobIdFromArn(identifier)) return service.getJob(identifier);
  const job = (await service.listJobs()).find((candidate) => candidate.jobName === identifier);
  if (!job) throw new ResourceNotFoundException(`No evaluation job ${identifier}.`);
  return job;
}
