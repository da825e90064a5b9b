// Persisted model customization jobs: InProgress → Completed | Failed, InProgress → Stopping → Stopped, with the
// request kept for idempotent retries and the progress (step, loss, tokens/s) the runner reports as it trains.
import type { Kysely, Selectable, Updateable } from "kysely";
import type { ModelCustomizationJobTable, StrataDatabase } from "../../storage/database/database-schema.js";

export type CustomizationJobStatus = ModelCustomizationJobTable["status"];
export type CustomizationType = ModelCustomizationJobTable["customization_type"];
/**
 * Where a job is inside InProgress: queued, reading data, training, evaluating the custom model against its base
 * (jobs with validation data), registering the model; Done when it ended.
 */
export type CustomizationJobPhase =
  | "Queued"
  | "DataProcessing"
  | "Training"
  | "Evaluating"
  | "Registering"
  | "Done";

export interface CustomizationJob {
  jobId: string;
  jobName: string;
  customModelName: string;
  roleArn: string;
  baseModelId: string;
  baseCustomModelId?: string;
  baseModelFile: string;
  customizationType: CustomizationType;
  hyperParameters: Record<string, string>;
  trainingDataUri: string;
  validationDataUris: string[];
  outputDataUri: string;
  clientRequestToken?: string;
  requestFingerprint: string;
  status: CustomizationJobStatus;
  phase: CustomizationJobPhase;
  failureMessage?: string;
  customModelId?: string;
  currentStep: number;
  totalSteps?: number;
  stepsPerEpoch?: number;
  trainingLoss?: number;
  tokensPerSecond?: number;
  validationLosses?: number[];
  creationTime: Date;
  lastModifiedTime: Date;
  endTime?: Date;
}

export type NewCustomizationJob = Pick<
  CustomizationJob,
  | "jobId"
  | "jobName"
  | "customModelName"
  | "roleArn"
  | "baseModelId"
  | "baseCustomModelId"
  | "baseModelFile"
  | "customizationType"
  | "hyperParameters"
  | "trainingDataUri"
  | "validationDataUris"
  | "outputDataUri"
  | "clientRequestToken"
  | "requestFingerprint"
>;

export interface JobProgress {
  currentStep?: number;
  totalSteps?: number;
  stepsPerEpoch?: number;
  trainingLoss?: number;
  tokensPerSecond?: number;
  validationLosses?: number[];
  phase?: CustomizationJobPhase;
}

export class CustomizationJobStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(job: NewCustomizationJob): Promise<CustomizationJob> {
    const now = new Date().toISOString();
    await this.database
      .insertInto("model_customization_jobs")
      .values({
        job_id: job.jobId,
        job_name: job.jobName,
        custom_model_name: job.customModelName,
        role_arn: job.roleArn,
        base_model_id: job.baseModelId,
        base_custom_model_id: job.baseCustomModelId ?? null,
        base_model_file: job.baseModelFile,
        customization_type: job.customizationType,
        hyper_parameters: JSON.stringify(job.hyperParameters),
        training_data_uri: job.trainingDataUri,
        validation_data_uris: JSON.stringify(job.validationDataUris),
        output_data_uri: job.outputDataUri,
        client_request_token: job.clientRequestToken ?? null,
        request_fingerprint: job.requestFingerprint,
        status: "InProgress",
        phase: "Queued",
        failure_message: null,
        custom_model_id: null,
        current_step: 0,
        total_steps: null,
        steps_per_epoch: null,
        training_loss: null,
        tokens_per_second: null,
        validation_losses: null,
        created_at: now,
        last_modified_at: now,
        end_at: null,
      })
      .execute();
    return (await this.find(job.jobId)) as CustomizationJob;
  }

  async find(jobId: string): Promise<CustomizationJob | undefined> {
    return this.findWhere("job_id", jobId);
  }

  async findByName(jobName: string): Promise<CustomizationJob | undefined> {
    return this.findWhere("job_name", jobName);
  }

  async findByClientRequestToken(token: string): Promise<CustomizationJob | undefined> {
    return this.findWhere("client_request_token", token);
  }

  /** An unfinished job that will register a custom model of this name, if any. */
  async findActiveForModelName(customModelName: string): Promise<CustomizationJob | undefined> {
    const row = await this.database
      .selectFrom("model_customization_jobs")
      .selectAll()
      .where("custom_model_name", "=", customModelName)
      .where("status", "in", ["InProgress", "Stopping"])
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<CustomizationJob[]> {
    const rows = await this.database.selectFrom("model_customization_jobs").selectAll().execute();
    return rows.map(fromRow);
  }

  async listWithStatus(status: CustomizationJobStatus): Promise<CustomizationJob[]> {
    const rows = await this.database
      .selectFrom("model_customization_jobs")
      .selectAll()
      .where("status", "=", status)
      .orderBy("created_at")
      .execute();
    return rows.map(fromRow);
  }

  async recordProgress(jobId: string, progress: JobProgress): Promise<void> {
    const set: Updateable<ModelCustomizationJobTable> = { last_modified_at: new Date().toISOString() };
    if (progress.currentStep !== undefined) set.current_step = progress.currentStep;
    if (progress.totalSteps !== undefined) set.total_steps = progress.totalSteps;
    if (progress.stepsPerEpoch !== undefined) set.steps_per_epoch = progress.stepsPerEpoch;
    if (progress.trainingLoss !== undefined) set.training_loss = progress.trainingLoss;
    if (progress.tokensPerSecond !== undefined) set.tokens_per_second = progress.tokensPerSecond;
    if (progress.validationLosses !== undefined)
      set.validation_losses = JSON.stringify(progress.validationLosses);
    if (progress.phase !== undefined) set.phase = progress.phase;
    await this.update(jobId, set);
  }

  /** Only an InProgress job can be asked to stop; false when it was not InProgress. */
  async requestStop(jobId: string): Promise<boolean> {
    const result = await this.database
      .updateTable("model_customization_jobs")
      .set({ status: "Stopping", last_modified_at: new Date().toISOString() })
      .where("job_id", "=", jobId)
      .where("status", "=", "InProgress")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async finish(
    jobId: string,
    status: "Completed" | "Failed" | "Stopped",
    details: { failureMessage?: string; customModelId?: string } = {},
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.update(jobId, {
      status,
      phase: "Done",
      failure_message: details.failureMessage?.slice(0, 2048) ?? null,
      ...(details.customModelId ? { custom_model_id: details.customModelId } : {}),
      end_at: now,
    });
  }

  private async update(jobId: string, set: Updateable<ModelCustomizationJobTable>): Promise<void> {
    await this.database
      .updateTable("model_customization_jobs")
      .set({ last_modified_at: new Date().toISOString(), ...set })
      .where("job_id", "=", jobId)
      .execute();
  }

  private async findWhere(
    column: "job_id" | "job_name" | "client_request_token",
    value: string,
  ): Promise<CustomizationJob | undefined> {
    const row = await this.database
      .selectFrom("model_customization_jobs")
      .selectAll()
      .where(column, "=", value)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }
}

export function fromRow(row: Selectable<ModelCustomizationJobTable>): CustomizationJob {
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    customModelName: row.custom_model_name,
    roleArn: row.role_arn,
    baseModelId: row.base_model_id,
    ...(row.base_custom_model_id ? { baseCustomModelId: row.base_custom_model_id } : {}),
    baseModelFile: row.base_model_file,
    customizationType: row.customization_type,
    hyperParameters: JSON.parse(row.hyper_parameters) as Record<string, string>,
    trainingDataUri: row.training_data_uri,
    validationDataUris: JSON.parse(row.validation_data_uris) as string[],
    outputDataUri: row.output_data_uri,
    ...(row.client_request_token ? { clientRequestToken: row.client_request_token } : {}),
    requestFingerprint: row.request_fingerprint,
    status: row.status,
    phase: row.phase as CustomizationJobPhase,
    ...(row.failure_message ? { failureMessage: row.failure_message } : {}),
    ...(row.custom_model_id ? { customModelId: row.custom_model_id } : {}),
    currentStep: row.current_step,
    ...(row.total_steps === null ? {} : { totalSteps: row.total_steps }),
    ...(row.steps_per_epoch === null ? {} : { stepsPerEpoch: row.steps_per_epoch }),
    ...(row.training_loss === null ? {} : { trainingLoss: row.training_loss }),
    ...(row.tokens_per_second === null ? {} : { tokensPerSecond: row.tokens_per_second }),
    ...(row.validation_losses === null
      ? {}
      : { validationLosses: JSON.parse(row.validation_losses) as number[] }),
    creationTime: new Date(row.created_at),
    lastModifiedTime: new Date(row.last_modified_at),
    ...(row.end_at ? { endTime: new Date(row.end_at) } : {}),
  };
}
