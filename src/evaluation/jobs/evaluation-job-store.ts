// Evaluation jobs in SQLite: InProgress → Completed | Failed, InProgress → Stopping → Stopped. The request is
// kept as accepted (GetEvaluationJob echoes it), the plan is what the runner runs, and the results summary is
// kept with the job once it completes (GetEvaluationJobResults); per-example results live in S3.
import type { Kysely, Selectable, Updateable } from "kysely";
import type { CreateEvaluationJobRequest } from "../../protocol/generated/bedrock-types.js";
import type { EvaluationJobTable, StrataDatabase } from "../../storage/database/database-schema.js";
import type { EvaluationPlan } from "../evaluation-plan.js";
import type { EvaluationSummary } from "../run/evaluation-results.js";

export type EvaluationJobStatus = EvaluationJobTable["status"];

/** What GetEvaluationJob echoes: the request without its name and idempotency token. */
export type StoredEvaluationRequest = Omit<
  CreateEvaluationJobRequest,
  "jobName" | "clientRequestToken" | "jobTags"
>;

export interface EvaluationJobProgress {
  examplesDone: number;
  examplesTotal: number;
}

export interface EvaluationJob {
  jobId: string;
  jobName: string;
  status: EvaluationJobStatus;
  request: StoredEvaluationRequest;
  plan: EvaluationPlan;
  clientRequestToken?: string;
  requestFingerprint: string;
  progress: EvaluationJobProgress;
  failureMessages: string[];
  results?: EvaluationSummary;
  resultsS3Uri?: string;
  reportS3Uri?: string;
  creationTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
}

export type NewEvaluationJob = Pick<
  EvaluationJob,
  "jobId" | "jobName" | "request" | "plan" | "clientRequestToken" | "requestFingerprint" | "progress"
>;

export class EvaluationJobStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(job: NewEvaluationJob): Promise<EvaluationJob> {
    const now = new Date().toISOString();
    await this.database
      .insertInto("evaluation_jobs")
      .values({
        job_id: job.jobId,
        job_name: job.jobName,
        status: "InProgress",
        request: JSON.stringify(job.request),
        plan: JSON.stringify(job.plan),
        client_request_token: job.clientRequestToken ?? null,
        request_fingerprint: job.requestFingerprint,
        progress: JSON.stringify(job.progress),
        failure_messages: null,
        results: null,
        results_s3_uri: null,
        report_s3_uri: null,
        created_at: now,
        last_modified_at: now,
        end_at: null,
      })
      .execute();
    return (await this.find(job.jobId)) as EvaluationJob;
  }

  find(jobId: string): Promise<EvaluationJob | undefined> {
    return this.findWhere("job_id", jobId);
  }

  findByName(jobName: string): Promise<EvaluationJob | undefined> {
    return this.findWhere("job_name", jobName);
  }

  findByClientRequestToken(token: string): Promise<EvaluationJob | undefined> {
    return this.findWhere("client_request_token", token);
  }

  async list(): Promise<EvaluationJob[]> {
    const rows = await this.database
      .selectFrom("evaluation_jobs")
      .selectAll()
      .orderBy("created_at")
      .execute();
    return rows.map(fromRow);
  }

  async listUnfinished(): Promise<EvaluationJob[]> {
    const rows = await this.database
      .selectFrom("evaluation_jobs")
      .selectAll()
      .where("status", "in", ["InProgress", "Stopping"])
      .orderBy("created_at")
      .execute();
    return rows.map(fromRow);
  }

  async recordProgress(jobId: string, progress: EvaluationJobProgress): Promise<void> {
    await this.update(jobId, { progress: JSON.stringify(progress) });
  }

  /** Only an InProgress job can be asked to stop; false when it was not InProgress. */
  async requestStop(jobId: string): Promise<boolean> {
    const result = await this.database
      .updateTable("evaluation_jobs")
      .set({ status: "Stopping", last_modified_at: new Date().toISOString() })
      .where("job_id", "=", jobId)
      .where("status", "=", "InProgress")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async complete(
    jobId: string,
    outcome: { results: EvaluationSummary; resultsS3Uri: string; reportS3Uri: string },
  ): Promise<void> {
    await this.update(jobId, {
      status: "Completed",
      results: JSON.stringify(outcome.results),
      results_s3_uri: outcome.resultsS3Uri,
      report_s3_uri: outcome.reportS3Uri,
      end_at: new Date().toISOString(),
    });
  }

  async finish(jobId: string, status: "Failed" | "Stopped", failureMessages: string[] = []): Promise<void> {
    await this.update(jobId, {
      status,
      failure_messages:
        failureMessages.length > 0
          ? JSON.stringify(failureMessages.map((message) => message.slice(0, 2048)))
          : null,
      end_at: new Date().toISOString(),
    });
  }

  private async update(jobId: string, set: Updateable<EvaluationJobTable>): Promise<void> {
    await this.database
      .updateTable("evaluation_jobs")
      .set({ last_modified_at: new Date().toISOString(), ...set })
      .where("job_id", "=", jobId)
      .execute();
  }

  private async findWhere(
    column: "job_id" | "job_name" | "client_request_token",
    value: string,
  ): Promise<EvaluationJob | undefined> {
    const row = await this.database
      .selectFrom("evaluation_jobs")
      .selectAll()
      .where(column, "=", value)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }
}

function fromRow(row: Selectable<EvaluationJobTable>): EvaluationJob {
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    status: row.status,
    request: JSON.parse(row.request) as StoredEvaluationRequest,
    plan: JSON.parse(row.plan) as EvaluationPlan,
    ...(row.client_request_token ? { clientRequestToken: row.client_request_token } : {}),
    requestFingerprint: row.request_fingerprint,
    progress: JSON.parse(row.progress) as EvaluationJobProgress,
    failureMessages: row.failure_messages ? (JSON.parse(row.failure_messages) as string[]) : [],
    ...(row.results ? { results: JSON.parse(row.results) as EvaluationSummary } : {}),
    ...(row.results_s3_uri ? { resultsS3Uri: row.results_s3_uri } : {}),
    ...(row.report_s3_uri ? { reportS3Uri: row.report_s3_uri } : {}),
    creationTime: new Date(row.created_at),
    lastModifiedTime: new Date(row.last_modified_at),
    ...(row.end_at ? { endTime: new Date(row.end_at) } : {}),
  };
}
