// Custom models: what a completed customization job registered — the artifact (LoRA adapter or merged GGUF)
// under <data-dir>/models/, the base GGUF it applies to, and the lineage. The provisioned-throughput issue
// serves them from here (findByIdentifier → baseModelFile + artifactFile); they are not invocable on demand.
import type { Kysely, Selectable } from "kysely";
import type { CustomModelTable, StrataDatabase } from "../../storage/database/database-schema.js";
import { idFromCustomizationArn } from "../customization-arns.js";
import type { CustomModelEvaluation } from "../jobs/custom-model-gate.js";

export interface DatasetLineage {
  s3Uri: string;
  sha256: string;
  bytes: number;
  records: number;
}

export interface CustomModelLineage {
  baseModelId: string;
  baseCustomModelId?: string;
  baseModelFileSha256?: string;
  trainingData: DatasetLineage;
  validationData: DatasetLineage[];
  hyperParameters: Record<string, string>;
  steps: number;
  trainedTokens: number;
  trainingLoss?: number;
  validationLosses: number[];
  trainerVersion: string;
}

export interface CustomModel {
  customModelId: string;
  modelName: string;
  jobId: string;
  jobName: string;
  baseModelId: string;
  baseCustomModelId?: string;
  customizationType: CustomModelTable["customization_type"];
  trainingMethod: CustomModelTable["training_method"];
  /** Relative to the data directory: the base GGUF the adapter applies to (the engine loads both). */
  baseModelFile: string;
  /** Relative to the data directory: the LoRA adapter GGUF (lora) or the merged model GGUF (full). */
  artifactFile: string;
  artifactKind: CustomModelTable["artifact_kind"];
  fileSizeBytes: number;
  hyperParameters: Record<string, string>;
  trainingDataUri: string;
  validationDataUris: string[];
  outputDataUri: string;
  trainingLoss?: number;
  validationLosses: number[];
  lineage: CustomModelLineage;
  /** The base-vs-custom evaluation on the job's validation data (jobs with validation data). */
  evaluation?: CustomModelEvaluation;
  creationTime: Date;
}

export type NewCustomModel = Omit<CustomModel, "creationTime">;

export class CustomModelRegistry {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  /**
   * Registers the model and marks its job Completed in one transaction: a job is Completed exactly when its
   * model exists, so a crash between the two can neither lose the model nor register it twice.
   */
  async registerForCompletedJob(model: NewCustomModel): Promise<CustomModel> {
    const creationTime = new Date();
    await this.database.transaction().execute(async (transaction) => {
      await transaction
        .insertInto("custom_models")
        .values({
          custom_model_id: model.customModelId,
          model_name: model.modelName,
          job_id: model.jobId,
          job_name: model.jobName,
          base_model_id: model.baseModelId,
          base_custom_model_id: model.baseCustomModelId ?? null,
          customization_type: model.customizationType,
          training_method: model.trainingMethod,
          base_model_file: model.baseModelFile,
          artifact_file: model.artifactFile,
          artifact_kind: model.artifactKind,
          file_size_bytes: model.fileSizeBytes,
          hyper_parameters: JSON.stringify(model.hyperParameters),
          training_data_uri: model.trainingDataUri,
          validation_data_uris: JSON.stringify(model.validationDataUris),
          output_data_uri: model.outputDataUri,
          training_loss: model.trainingLoss ?? null,
          validation_losses: JSON.stringify(model.validationLosses),
          lineage: JSON.stringify(model.lineage),
          created_at: creationTime.toISOString(),
          evaluation: model.evaluation ? JSON.stringify(model.evaluation) : null,
        })
        .execute();
      const now = creationTime.toISOString();
      await transaction
        .updateTable("model_customization_jobs")
        .set({
          status: "Completed",
          phase: "Done",
          custom_model_id: model.customModelId,
          last_modified_at: now,
          end_at: now,
        })
        .where("job_id", "=", model.jobId)
        .execute();
    });
    return { ...model, creationTime };
  }

  async list(): Promise<CustomModel[]> {
    const rows = await this.database.selectFrom("custom_models").selectAll().orderBy("created_at").execute();
    return rows.map(fromRow);
  }

  async find(customModelId: string): Promise<CustomModel | undefined> {
    const row = await this.database
      .selectFrom("custom_models")
      .selectAll()
      .where("custom_model_id", "=", customModelId)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByName(modelName: string): Promise<CustomModel | undefined> {
    const row = await this.database
      .selectFrom("custom_models")
      .selectAll()
      .where("model_name", "=", modelName)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** By custom-model ARN or by name, as Bedrock's modelIdentifier. */
  async findByIdentifier(identifier: string): Promise<CustomModel | undefined> {
    const id = idFromCustomizationArn(identifier, "custom-model");
    return id ? this.find(id) : this.findByName(identifier);
  }

  async remove(customModelId: string): Promise<boolean> {
    const result = await this.database
      .deleteFrom("custom_models")
      .where("custom_model_id", "=", customModelId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function fromRow(row: Selectable<CustomModelTable>): CustomModel {
  return {
    customModelId: row.custom_model_id,
    modelName: row.model_name,
    jobId: row.job_id,
    jobName: row.job_name,
    baseModelId: row.base_model_id,
    ...(row.base_custom_model_id ? { baseCustomModelId: row.base_custom_model_id } : {}),
    customizationType: row.customization_type,
    trainingMethod: row.training_method,
    baseModelFile: row.base_model_file,
    artifactFile: row.artifact_file,
    artifactKind: row.artifact_kind,
    fileSizeBytes: row.file_size_bytes,
    hyperParameters: JSON.parse(row.hyper_parameters) as Record<string, string>,
    trainingDataUri: row.training_data_uri,
    validationDataUris: JSON.parse(row.validation_data_uris) as string[],
    outputDataUri: row.output_data_uri,
    ...(row.training_loss === null ? {} : { trainingLoss: row.training_loss }),
    validationLosses: row.validation_losses ? (JSON.parse(row.validation_losses) as number[]) : [],
    lineage: JSON.parse(row.lineage) as CustomModelLineage,
    ...(row.evaluation ? { evaluation: JSON.parse(row.evaluation) as CustomModelEvaluation } : {}),
    creationTime: new Date(row.created_at),
  };
}
