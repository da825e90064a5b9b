// Strata's pretraining-job operations (extension API): create, get, list, stop. Jobs are named by their name or
// ARN (arn:aws:bedrock:<region>:<account>:pretraining-job/<id>).
import type { LocalModelRegistry } from "../../catalog/local-model-registry.js";
import {
  type LlamaModelDimensions,
  llamaModelDimensionProblems,
  llamaModelPresets,
} from "../../model-files/create-model/llama-model-spec.js";
import { type ArnContext, newResourceId, resourceIdFromArn } from "../../model-import/resource-ids.js";
import {
  ConflictException,
  ResourceNotFoundException,
  ValidationException,
} from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  CreatePretrainingJobRequest,
  CreatePretrainingJobResponse,
  GetPretrainingJobRequest,
  GetPretrainingJobResponse,
  ListPretrainingJobsRequest,
  ListPretrainingJobsResponse,
  StopPretrainingJobRequest,
  StopPretrainingJobResponse,
} from "../../protocol/generated/strata-types.js";
import { pretrainingCorpusName } from "../pretraining-corpus.js";
import type { PretrainingJobRunner } from "./pretraining-job-runner.js";
import type { PretrainingJob, PretrainingJobStore } from "./pretraining-job-store.js";
import { recipeForRequest } from "./recipe-for-request.js";

function tokensPerStep(job: PretrainingJob): number {
  const recipe = recipeForRequest(job.request);
  return recipe.rowsPerStep * recipe.sequenceLength;
}

export function pretrainingJobArn(context: ArnContext, jobId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:pretraining-job/${jobId}`;
}

export interface PretrainingOperationDependencies {
  jobs: PretrainingJobStore;
  runner: PretrainingJobRunner;
  registry: LocalModelRegistry;
  context: ArnContext;
}

export function pretrainingOperations(
  dependencies: PretrainingOperationDependencies,
): Record<string, OperationHandler> {
  const { jobs, runner, registry, context } = dependencies;
  const find = async (identifier: string): Promise<PretrainingJob> => {
    const id = resourceIdFromArn(identifier, "pretraining-job");
    const job = id ? await jobs.find(id) : await jobs.findByName(identifier);
    if (!job) throw new ResourceNotFoundException(`No pretraining job ${identifier}.`);
    return job;
  };
  const describe = (job: PretrainingJob): GetPretrainingJobResponse => ({
    jobArn: pretrainingJobArn(context, job.jobId),
    jobName: job.jobName,
    modelId: job.modelId,
    status: job.status,
    phase: job.progress.phase,
    ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
    steps: job.progress.steps,
    step: job.progress.step,
    ...(job.progress.loss !== undefined ? { loss: job.progress.loss } : {}),
    ...(job.progress.tokensPerSecond !== undefined ? { tokensPerSecond: job.progress.tokensPerSecond } : {}),
    tokensSeen: job.progress.step * tokensPerStep(job),
    heldOutPerplexity: [...job.progress.heldOutPerplexity].sort((a, b) => a.step - b.step),
    ...(job.progress.shippedPerplexity !== undefined
      ? { shippedPerplexity: job.progress.shippedPerplexity }
      : {}),
    ...(job.progress.corpus ? { corpus: job.progress.corpus } : {}),
    ...(job.progress.resumedFromStep ? { resumedFromStep: job.progress.resumedFromStep } : {}),
    ...(job.progress.parameterCount !== undefined ? { parameterCount: job.progress.parameterCount } : {}),
    ...(job.progress.fileSizeBytes !== undefined ? { fileSizeBytes: job.progress.fileSizeBytes } : {}),
    creationTime: job.creationTime,
    lastModifiedTime: job.lastModifiedTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
  });

  return {
    CreatePretrainingJob: operation<CreatePretrainingJobRequest, CreatePretrainingJobResponse>(
      async (_request, input) => {
        const modelId = `local.${input.modelName}`;
        if (await registry.find(modelId))
          throw new ConflictException(`A model with id ${modelId} already exists.`);
        if (await jobs.findByName(input.jobName))
          throw new ConflictException(`A pretraining job named ${input.jobName} already exists.`);
        const pending = (await jobs.listUnfinished()).find((job) => job.modelId === modelId);
        if (pending)
          throw new ConflictException(`Pretraining job ${pending.jobName} is already making ${modelId}.`);
        const dimensions: LlamaModelDimensions = {
          ...llamaModelPresets[input.preset ?? "tiny"],
          ...input.dimensions,
        };
        const problems = llamaModelDimensionProblems(dimensions);
        if (problems.length > 0)
          throw new ValidationException(`The model dimensions are not usable: ${problems.join("; ")}.`);
        if (input.sequenceLength !== undefined && input.sequenceLength > dimensions.contextLength)
          throw new ValidationException(
            `sequenceLength ${input.sequenceLength} is longer than the model's context (${dimensions.contextLength} tokens).`,
          );
        const recipe = recipeForRequest(input);
        const jobId = newResourceId();
        const request: CreatePretrainingJobRequest = {
          ...input,
          corpus: input.corpus ?? pretrainingCorpusName,
        };
        await jobs.insert({
          jobId,
          jobName: input.jobName,
          modelId,
          request,
          progress: { phase: "queued", step: 0, steps: recipe.steps, heldOutPerplexity: [] },
        });
        const job = await jobs.find(jobId);
        if (job) runner.enqueue(job);
        return { jobArn: pretrainingJobArn(context, jobId) };
      },
    ),
    GetPretrainingJob: operation<GetPretrainingJobRequest, GetPretrainingJobResponse>(
      async (_request, input) => describe(await find(input.jobIdentifier)),
    ),
    ListPretrainingJobs: operation<ListPretrainingJobsRequest, ListPretrainingJobsResponse>(async () => ({
      jobs: (await jobs.list()).map(describe),
    })),
    StopPretrainingJob: operation<StopPretrainingJobRequest, StopPretrainingJobResponse>(
      async (_request, input) => {
        const job = await find(input.jobIdentifier);
        if (job.status !== "InProgress")
          throw new ValidationException(
            `Pretraining job ${job.jobName} is ${job.status}; only a job InProgress can be stopped.`,
          );
        await jobs.setStatus(job.jobId, "Stopping");
        runner.stop(job.jobId);
        return {};
      },
    ),
  };
}
