// Persisted model import jobs: InProgress → Completed | Failed, with the request kept for idempotent retries.
import type { Kysely, Selectable } from "kysely";
import type { ModelImportJobTable, StrataDatabase } from "../storage/database/database-schema.js";

export type ModelImportJobStatus = "InProgress" | "Completed" | "Failed";

export interface ModelImportJob {
  jobId: string;
  jobName: string;
  importedModelName: string;
  modelId: string;
  roleArn: string;
  s3Uri: string;
  status: ModelImportJobStatus;
  failureMessage?: string;
  clientRequestToken?: string;
  requestFingerprint: string;
  importedModelId?: string;
  creationTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
}

export type NewModelImportJob = Pick<
  ModelImportJob,
  | "jobId"
  | "jobName"
  | "importedModelName"
  | "modelId"
  | "roleArn"
  | "s3Uri"
  | "clientRequestToken"
  | "requestFingerprint"
>;

export class ModelImportJobStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(job: NewModelImportJob): Promise<ModelImportJob> {
    const now = new Date().toISOString();
    await this.database
      .insertInto("model_import_jobs")
      .values({
        job_id: job.jobId,
        job_name: job.jobName,
        imported_model_name: job.importedModelName,
        model_id: job.modelId,
        role_arn: job.roleArn,
        s3_uri: job.s3Uri,
        status: "InProgress",
        failure_message: null,
        client_request_token: job.clientRequestToken ?? null,
        request_fingerprint: job.requestFingerprint,
        imported_model_id: null,
        created_at: now,
        last_modified_at: now,
        end_at: null,
      })
      .execute();
    return (await this.find(job.jobId)) as ModelImportJob;
  }

  async find(jobId: string): Promise<ModelImportJob | undefined> {
    const row = await this.database
      .selectFrom("model_import_jobs")
      .selectAll()
      .where("job_id", "=", jobId)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByName(jobName: string): Promise<ModelImportJob | undefined> {
    const row = await this.database
      .selectFrom("model_import_jobs")
      .selectAll()
      .where("job_name", "=", jobName)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByClientRequestToken(token: string): Promise<ModelImportJob | undefined> {
    const row = await this.database
      .selectFrom("model_import_jobs")
      .selectAll()
      .where("client_request_token", "=", token)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** An unfinished job that will register this model id or model name, if any. */
  async findActiveForModel(modelId: string, importedModelName: string): Promise<ModelImportJob | undefined> {
    const row = await this.database
      .selectFrom("model_import_jobs")
      .selectAll()
      .where("status", "=", "InProgress")
      .where((where) =>
        where.or([where("model_id", "=", modelId), where("imported_model_name", "=", importedModelName)]),
      )
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<ModelImportJob[]> {
    const rows = await this.database.selectFrom("model_import_jobs").selectAll().execute();
    return rows.map(fromRow);
  }

  async listInProgress(): Promise<ModelImportJob[]> {
    const rows = await this.database
      .selectFrom("model_import_jobs")
      .selectAll()
      .where("status", "=", "InProgress")
      .execute();
    return rows.map(fromRow);
  }

  async complete(jobId: string, importedModelId: string): Promise<void> {
    const now = new Date().toISOString();
    await this.database
      .updateTable("model_import_jobs")
      .set({ status: "Completed", imported_model_id: importedModelId, last_modified_at: now, end_at: now })
      .where("job_id", "=", jobId)
      .execute();
  }

  async fail(jobId: string, failureMessage: string): Promise<void> {
    const now = new Date().toISOString();
    await this.database
      .updateTable("model_import_jobs")
      .set({
        status: "Failed",
        failure_message: failureMessage.slice(0, 2048),
        last_modified_at: now,
        end_at: now,
      })
      .where("job_id", "=", jobId)
      .execute();
  }
}

function fromRow(row: Selectable<ModelImportJobTable>): ModelImportJob {
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    importedModelName: row.imported_model_name,
    modelId: row.model_id,
    roleArn: row.role_arn,
    s3Uri: row.s3_uri,
    status: row.status,
    ...(row.failure_message ? { failureMessage: row.failure_message } : {}),
    ...(row.client_request_token ? { clientRequestToken: row.client_request_token } : {}),
    requestFingerprint: row.request_fingerprint,
    ...(row.imported_model_id ? { importedModelId: row.imported_model_id } : {}),
    creationTime: new Date(row.created_at),
    lastModifiedTime: new Date(row.last_modified_at),
    ...(row.end_at ? { endTime: new Date(row.end_at) } : {}),
  };
}
