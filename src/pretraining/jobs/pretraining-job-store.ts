// Pretraining jobs in SQLite. The request (as accepted) and the progress (what the runner last reported) are
// JSON documents; the status column is what the queries filter on.
import type { Kysely, Selectable } from "kysely";
import type { CreatePretrainingJobRequest } from "../../protocol/generated/strata-types.js";
import type { PretrainingJobTable, StrataDatabase } from "../../storage/database/database-schema.js";

export type PretrainingJobStatus = PretrainingJobTable["status"];

export interface PretrainingProgress {
  phase: string;
  step: number;
  steps: number;
  loss?: number;
  tokensPerSecond?: number;
  heldOutPerplexity: { step: number; perplexity: number }[];
  shippedPerplexity?: number;
  parameterCount?: number;
  fileSizeBytes?: number;
  corpus?: string;
  resumedFromStep?: number;
}

export interface PretrainingJob {
  jobId: string;
  jobName: string;
  modelId: string;
  status: PretrainingJobStatus;
  request: CreatePretrainingJobRequest;
  progress: PretrainingProgress;
  failureMessage?: string;
  creationTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
}

export class PretrainingJobStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(
    job: Pick<PretrainingJob, "jobId" | "jobName" | "modelId" | "request" | "progress">,
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.database
      .insertInto("pretraining_jobs")
      .values({
        job_id: job.jobId,
        job_name: job.jobName,
        model_id: job.modelId,
        status: "InProgress",
        request: JSON.stringify(job.request),
        progress: JSON.stringify(job.progress),
        failure_message: null,
        created_at: now,
        updated_at: now,
        ended_at: null,
      })
      .execute();
  }

  async find(jobId: string): Promise<PretrainingJob | undefined> {
    const row = await this.database
      .selectFrom("pretraining_jobs")
      .selectAll()
      .where("job_id", "=", jobId)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async findByName(jobName: string): Promise<PretrainingJob | undefined> {
    const row = await this.database
      .selectFrom("pretraining_jobs")
      .selectAll()
      .where("job_name", "=", jobName)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<PretrainingJob[]> {
    const rows = await this.database
      .selectFrom("pretraining_jobs")
      .selectAll()
      .orderBy("created_at", "desc")
      .execute();
    return rows.map(fromRow);
  }

  async listUnfinished(): Promise<PretrainingJob[]> {
    const rows = await this.database
      .selectFrom("pretraining_jobs")
      .selectAll()
      .where("status", "in", ["InProgress", "Stopping"])
      .orderBy("created_at")
      .execute();
    return rows.map(fromRow);
  }

  async saveProgress(jobId: string, progress: PretrainingProgress): Promise<void> {
    await this.database
      .updateTable("pretraining_jobs")
      .set({ progress: JSON.stringify(progress), updated_at: new Date().toISOString() })
      .where("job_id", "=", jobId)
      .execute();
  }

  /** Moves the job to `status`; a finished status also sets the end time. */
  async setStatus(jobId: string, status: PretrainingJobStatus, failureMessage?: string): Promise<void> {
    const now = new Date().toISOString();
    const finished = status === "Completed" || status === "Failed" || status === "Stopped";
    await this.database
      .updateTable("pretraining_jobs")
      .set({
        status,
        updated_at: now,
        ...(failureMessage !== undefined ? { failure_message: failureMessage } : {}),
        ...(finished ? { ended_at: now } : {}),
      })
      .where("job_id", "=", jobId)
      .execute();
  }
}

function fromRow(row: Selectable<PretrainingJobTable>): PretrainingJob {
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    modelId: row.model_id,
    status: row.status,
    request: JSON.parse(row.request) as CreatePretrainingJobRequest,
    progress: JSON.parse(row.progress) as PretrainingProgress,
    ...(row.failure_message ? { failureMessage: row.failure_message } : {}),
    creationTime: new Date(row.created_at),
    lastModifiedTime: new Date(row.updated_at),
    ...(row.ended_at ? { endTime: new Date(row.ended_at) } : {}),
  };
}
