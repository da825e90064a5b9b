// Local models that the engine can serve: Strata's built-in models (strata.<name>, provider "Strata") and
// imported GGUF files (local.<name>, provider "Local"). One row per model; the GGUF lives in the object store.
import { isAbsolute, join } from "node:path";
import type { Kysely, Selectable } from "kysely";
import { ConflictException, ValidationException } from "../protocol/aws-errors.js";
import type { LocalModelTable, StrataDatabase } from "../storage/database/database-schema.js";

export interface LocalModel {
  modelId: string;
  modelName: string;
  providerName: "Strata" | "Local";
  source: "builtin" | "imported" | "created";
  architecture: string;
  parameterCount: number;
  contextLength: number;
  quantization: string;
  /** Whether Strata's trainer can customize this model (architecture and tensor types it supports). */
  trainerSupported: boolean;
  chatTemplate?: string;
  /** The GGUF file relative to the data directory (absolute for built-in models). */
  filePath: string;
  /** Where the weights came from: an s3:// URI, or how Strata made them. */
  sourceUri: string;
  fileSizeBytes: number;
  /** The 12-character id of its imported-model ARN, when registered by an import job. */
  importedModelId?: string;
  importJobId?: string;
  creationTime: Date;
}

/** Where the model's GGUF is on disk. */
export function localModelFilePath(dataDirectory: string, model: Pick<LocalModel, "filePath">): string {
  return isAbsolute(model.filePath) ? model.filePath : join(dataDirectory, model.filePath);
}

export type NewLocalModel = Omit<LocalModel, "creationTime">;

const localModelIdPattern = /^(strata|local)\.[a-z0-9][a-z0-9-]{0,62}$/;

export class LocalModelRegistry {
  /** Every catalog listing reads the local models; this process is their only writer, so a cache is exact. */
  private cached: Promise<LocalModel[]> | undefined;

  /** builtins: the models shipped with Strata (builtin-models.ts), listed first and never stored. */
  constructor(
    private readonly database: Kysely<StrataDatabase>,
    private readonly builtins: readonly LocalModel[] = [],
  ) {}

  async register(model: NewLocalModel): Promise<LocalModel> {
    if (!localModelIdPattern.test(model.modelId)) {
      throw new ValidationException(
        `Model id ${model.modelId} must be strata.<name> or local.<name>, the name made of a-z, 0-9 and '-' (at most 63 characters).`,
      );
    }
    const expectedPrefix = model.providerName === "Strata" ? "strata." : "local.";
    if (!model.modelId.startsWith(expectedPrefix)) {
      throw new ValidationException(
        `Model id ${model.modelId} must start with ${expectedPrefix} for provider ${model.providerName}.`,
      );
    }
    if (await this.find(model.modelId))
      throw new ConflictException(`A model with id ${model.modelId} already exists.`);
    const creationTime = new Date();
    await this.database
      .insertInto("local_models")
      .values({
        model_id: model.modelId,
        model_name: model.modelName,
        provider_name: model.providerName,
        source: model.source,
        architecture: model.architecture,
        parameter_count: model.parameterCount,
        context_length: model.contextLength,
        quantization: model.quantization,
        trainer_supported: model.trainerSupported ? 1 : 0,
        chat_template: model.chatTemplate ?? null,
        file_path: model.filePath,
        source_uri: model.sourceUri,
        file_size_bytes: model.fileSizeBytes,
        imported_model_id: model.importedModelId ?? null,
        import_job_id: model.importJobId ?? null,
        created_at: creationTime.toISOString(),
      })
      .execute();
    this.cached = undefined;
    return { ...model, creationTime };
  }

  async list(): Promise<LocalModel[]> {
    this.cached ??= this.database
      .selectFrom("local_models")
      .selectAll()
      .orderBy("id")
      .execute()
      .then((rows) => [...this.builtins, ...rows.map(fromRow)]);
    return this.cached;
  }

  async find(modelId: string): Promise<LocalModel | undefined> {
    return (await this.list()).find((model) => model.modelId === modelId);
  }

  async findByImportedModelId(importedModelId: string): Promise<LocalModel | undefined> {
    return (await this.list()).find((model) => model.importedModelId === importedModelId);
  }

  async listImported(): Promise<LocalModel[]> {
    return (await this.list()).filter((model) => model.importedModelId !== undefined);
  }

  /** Records a new verdict of the trainer on a stored model (refresh-trainer-support.ts). */
  async setTrainerSupported(modelId: string, trainerSupported: boolean): Promise<void> {
    await this.database
      .updateTable("local_models")
      .set({ trainer_supported: trainerSupported ? 1 : 0 })
      .where("model_id", "=", modelId)
      .execute();
    this.cached = undefined;
  }

  /** The models stored in the database (imported or created), without the built-in ones. */
  async listStored(): Promise<LocalModel[]> {
    const builtinIds = new Set(this.builtins.map((model) => model.modelId));
    return (await this.list()).filter((model) => !builtinIds.has(model.modelId));
  }

  async remove(modelId: string): Promise<boolean> {
    const result = await this.database
      .deleteFrom("local_models")
      .where("model_id", "=", modelId)
      .executeTakeFirst();
    this.cached = undefined;
    return Number(result.numDeletedRows) > 0;
  }
}

function fromRow(row: Selectable<LocalModelTable>): LocalModel {
  return {
    modelId: row.model_id,
    modelName: row.model_name,
    providerName: row.provider_name,
    source: row.source,
    architecture: row.architecture,
    parameterCount: row.parameter_count,
    contextLength: row.context_length,
    quantization: row.quantization,
    trainerSupported: row.trainer_supported === 1,
    ...(row.chat_template ? { chatTemplate: row.chat_template } : {}),
    filePath: row.file_path,
    sourceUri: row.source_uri,
    fileSizeBytes: row.file_size_bytes,
    ...(row.imported_model_id ? { importedModelId: row.imported_model_id } : {}),
    ...(row.import_job_id ? { importJobId: row.import_job_id } : {}),
    creationTime: new Date(row.created_at),
  };
}
