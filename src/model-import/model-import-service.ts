// Bedrock's Custom Model Import for GGUF files: create and look up import jobs, look up and delete imported
// models. Strata takes a GGUF file (or a prefix holding one) where Bedrock takes Hugging Face safetensors.
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { LocalModel, LocalModelRegistry } from "../catalog/local-model-registry.js";
import { ConflictException, ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { ModelImportJob, ModelImportJobStore } from "./model-import-job-store.js";
import { ImportSourceError, locateGgufObject, type ModelImportRunner } from "./model-import-runner.js";
import { localModelIdFor, newResourceId, resourceIdFromArn } from "./resource-ids.js";

export interface CreateModelImportJobRequest {
  jobName: string;
  importedModelName: string;
  roleArn: string;
  s3Uri: string;
  clientRequestToken?: string;
  /** Strata's extension: the catalog id to register, instead of local.<importedModelName>. */
  modelId?: string;
}

/** Something that may still need an imported model (custom models, reservations); empty until those exist. */
export type ImportedModelDependents = (model: LocalModel) => Promise<string[]>;

export class ModelImportService {
  constructor(
    private readonly options: {
      dataDirectory: string;
      jobs: ModelImportJobStore;
      registry: LocalModelRegistry;
      runner: ModelImportRunner;
      objectStores: ObjectStoreResolver;
      dependents: ImportedModelDependents;
    },
  ) {}

  async createJob(request: CreateModelImportJobRequest): Promise<ModelImportJob> {
    const { jobs, registry } = this.options;
    const fingerprint = createHash("sha256")
      .update(
        JSON.stringify([
          request.jobName,
          request.importedModelName,
          request.roleArn,
          request.s3Uri,
          request.modelId,
        ]),
      )
      .digest("hex");
    if (request.clientRequestToken) {
      const previous = await jobs.findByClientRequestToken(request.clientRequestToken);
      if (previous) {
        if (previous.requestFingerprint === fingerprint) return previous;
        throw new ConflictException(
          `The clientRequestToken ${request.clientRequestToken} was already used with a different request.`,
        );
      }
    }
    if (await jobs.findByName(request.jobName)) {
      throw new ConflictException(`A model import job named ${request.jobName} already exists.`);
    }
    const modelId = request.modelId ?? localModelIdFor(request.importedModelName);
    if (!/^local\.[a-z0-9][a-z0-9-]{0,62}$/.test(modelId)) {
      throw new ValidationException(
        `Model id ${modelId} must be local.<name>, the name made of a-z, 0-9 and '-'.`,
      );
    }
    if (await registry.find(modelId)) {
      throw new ConflictException(
        `A model with id ${modelId} already exists; choose another importedModelName.`,
      );
    }
    if ((await registry.listImported()).some((model) => model.modelName === request.importedModelName)) {
      throw new ConflictException(`An imported model named ${request.importedModelName} already exists.`);
    }
    if (await jobs.findActiveForModel(modelId, request.importedModelName)) {
      throw new ConflictException(
        `An import of ${request.importedModelName} (${modelId}) is already in progress.`,
      );
    }
    try {
      await locateGgufObject(this.options.objectStores, request.s3Uri);
    } catch (error) {
      if (error instanceof ImportSourceError) throw new ValidationException(error.message);
      throw error;
    }
    const job = await jobs.insert({
      jobId: newResourceId(),
      jobName: request.jobName,
      importedModelName: request.importedModelName,
      modelId,
      roleArn: request.roleArn,
      s3Uri: request.s3Uri,
      ...(request.clientRequestToken ? { clientRequestToken: request.clientRequestToken } : {}),
      requestFingerprint: fingerprint,
    });
    this.options.runner.start(job);
    return job;
  }

  /** By job ARN or job name. */
  async getJob(identifier: string): Promise<ModelImportJob> {
    const jobId = resourceIdFromArn(identifier, "model-import-job");
    const job = jobId ? await this.options.jobs.find(jobId) : await this.options.jobs.findByName(identifier);
    if (!job) throw new ResourceNotFoundException(`No model import job ${identifier}.`);
    return job;
  }

  async listJobs(): Promise<ModelImportJob[]> {
    return this.options.jobs.list();
  }

  /** By imported-model ARN, imported model name, or catalog id (local.<name>). */
  async getImportedModel(identifier: string): Promise<LocalModel> {
    const { registry } = this.options;
    const importedModelId = resourceIdFromArn(identifier, "imported-model");
    const model = importedModelId
      ? await registry.findByImportedModelId(importedModelId)
      : ((await registry.listImported()).find((candidate) => candidate.modelName === identifier) ??
        (await registry.find(identifier)));
    if (!model?.importedModelId) throw new ResourceNotFoundException(`No imported model ${identifier}.`);
    return model;
  }

  async listImportedModels(): Promise<LocalModel[]> {
    return this.options.registry.listImported();
  }

  async deleteImportedModel(identifier: string): Promise<void> {
    const model = await this.getImportedModel(identifier);
    const dependents = await this.options.dependents(model);
    if (dependents.length > 0) {
      throw new ConflictException(
        `${model.modelId} is still used by ${dependents.join(", ")}; delete those first.`,
      );
    }
    await this.options.registry.remove(model.modelId);
    await rm(join(this.options.dataDirectory, model.filePath), { force: true });
  }
}
