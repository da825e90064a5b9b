// Evaluation jobs behind Bedrock's control plane: create (checked and planned, idempotent by clientRequestToken,
// unique by name), get and list, stop. Knows nothing of HTTP; the operations translate shapes.
import { createHash } from "node:crypto";
import { newResourceId } from "../model-import/resource-ids.js";
import { ConflictException, ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";
import type { CreateEvaluationJobRequest } from "../protocol/generated/bedrock-types.js";
import { type PlanningSources, planEvaluationJob } from "./create/plan-evaluation-job.js";
import { evaluationJobIdFromArn } from "./evaluation-arns.js";
import type { EvaluationJobRunner } from "./jobs/evaluation-job-runner.js";
import type {
  EvaluationJob,
  EvaluationJobStore,
  StoredEvaluationRequest,
} from "./jobs/evaluation-job-store.js";

export class EvaluationService {
  constructor(
    private readonly options: PlanningSources & { jobs: EvaluationJobStore; runner: EvaluationJobRunner },
  ) {}

  async createJob(input: CreateEvaluationJobRequest): Promise<EvaluationJob> {
    const { jobs } = this.options;
    const { clientRequestToken, jobName, jobTags: _tags, ...rest } = input;
    const request: StoredEvaluationRequest = rest;
    const fingerprint = createHash("sha256")
      .update(JSON.stringify({ jobName, ...request }))
      .digest("hex");
    if (clientRequestToken) {
      const previous = await jobs.findByClientRequestToken(clientRequestToken);
      if (previous) {
        if (previous.requestFingerprint === fingerprint) return previous;
        throw new ConflictException(
          `The clientRequestToken ${clientRequestToken} was already used with a different request.`,
        );
      }
    }
    if (await jobs.findByName(jobName))
      throw new ConflictException(`An evaluation job named ${jobName} already exists.`);
    const plan = await planEvaluationJob(input, this.options);
    let job: EvaluationJob;
    try {
      job = await jobs.insert({
        jobId: newResourceId(),
        jobName,
        request,
        plan,
        ...(clientRequestToken ? { clientRequestToken } : {}),
        requestFingerprint: fingerprint,
        progress: { examplesDone: 0, examplesTotal: 0 },
      });
    } catch (error) {
      // Two requests raced past the checks above: the table's unique columns decide.
      if (/UNIQUE constraint failed/.test(String(error)))
        throw new ConflictException(
          `An evaluation job named ${jobName} (or with this clientRequestToken) already exists.`,
        );
      throw error;
    }
    this.options.runner.enqueue(job);
    return job;
  }

  /** By ARN, as Bedrock's GetEvaluationJob takes it. */
  async getJob(jobIdentifier: string): Promise<EvaluationJob> {
    const jobId = evaluationJobIdFromArn(jobIdentifier);
    if (!jobId) throw new ValidationException(`${jobIdentifier} is not an evaluation job ARN.`);
    const job = await this.options.jobs.find(jobId);
    if (!job) throw new ResourceNotFoundException(`No evaluation job ${jobIdentifier}.`);
    return job;
  }

  listJobs(): Promise<EvaluationJob[]> {
    return this.options.jobs.list();
  }

  async stopJob(jobIdentifier: string): Promise<void> {
    const job = await this.getJob(jobIdentifier);
    if (!(await this.options.jobs.requestStop(job.jobId)))
      throw new ConflictException(
        `Evaluation job ${job.jobName} is ${job.status}; only an InProgress job can be stopped.`,
      );
    this.options.runner.stop(job.jobId);
  }
}
