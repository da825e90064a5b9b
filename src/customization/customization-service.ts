// Model customization on local models, behind Bedrock's control plane: create, look up, list and stop jobs;
// look up, list and delete the custom models they register. Requests are checked here completely (base model,
// hyperparameters, every dataset line) before a job is accepted; the runner does the rest.

import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog.js";
import { type LocalModelRegistry, localModelFilePath } from "../catalog/local-model-registry.js";
import { newResourceId } from "../model-import/resource-ids.js";
import { ConflictException, ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { CustomModel, CustomModelRegistry } from "./custom-models/custom-model-registry.js";
import { idFromCustomizationArn } from "./customization-arns.js";
import { DatasetNotFoundError, requireDatasetObject } from "./datasets/dataset-lines.js";
import { DatasetProblemsError, type JobDataLimits, prepareJobData } from "./datasets/prepare-job-data.js";
import type { TokenizerCache } from "./datasets/tokenizer-cache.js";
import { parseHyperParameters } from "./hyperparameters/parse-hyperparameters.js";
import { admitCustomizationJob } from "./jobs/admit-customization-job.js";
import type { CustomizationJobRunner } from "./jobs/customization-job-runner.js";
import type {
  CustomizationJob,
  CustomizationJobStore,
  CustomizationType,
} from "./jobs/customization-job-store.js";
import { jobOutputPrefix } from "./jobs/metrics-csv.js";
import { resolveBaseModel } from "./jobs/resolve-base-model.js";

export interface CreateCustomizationJobRequest {
  jobName: string;
  customModelName: string;
  roleArn: string;
  baseModelIdentifier: string;
  customizationType?: string;
  trainingDataS3Uri?: string;
  usesInvocationLogs?: boolean;
  validationDataS3Uris: string[];
  outputDataS3Uri: string;
  hyperParameters?: Record<string, string>;
  clientRequestToken?: string;
  customizationConfigGiven?: boolean;
}

/**
 * Whether something still uses a custom model (a provisioned throughput serving it), by its ARN. Provisioned
 * throughput does not exist yet: the default says "not in use"; the provisioned-throughput issue passes its own.
 * A non-empty answer names the users, and DeleteCustomModel is refused with them.
 */
export type CustomModelInUse = (customModelArn: string) => Promise<string[]>;
export const customModelNotInUse: CustomModelInUse = async () => [];

export interface CustomizationServiceOptions {
  region: string;
  dataDirectory: string;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customModels: CustomModelRegistry;
  jobs: CustomizationJobStore;
  runner: CustomizationJobRunner;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  tokenizers: TokenizerCache;
  customModelArnOf(model: CustomModel): string;
  customModelInUse: CustomModelInUse;
}

export class CustomizationService {
  constructor(private readonly options: CustomizationServiceOptions) {}

  async createJob(request: CreateCustomizationJobRequest): Promise<CustomizationJob> {
    const { jobs } = this.options;
    const admission = await admitCustomizationJob(this.options, request);
    if (admission.kind === "retry") return admission.job;
    const { fingerprint } = admission;
    if (request.usesInvocationLogs || !request.trainingDataS3Uri)
      throw new ValidationException(
        "trainingDataConfig.s3Uri is required: Strata trains on a dataset in S3, not on invocation logs.",
      );
    if (request.customizationConfigGiven)
      throw new ValidationException(
        "customizationConfig is for distillation and reinforcement fine-tuning, which Strata does not run.",
      );
    if (request.validationDataS3Uris.length > 1)
      throw new ValidationException(
        `validationDataConfig.validators holds ${request.validationDataS3Uris.length} validators; Strata measures one validation set, so give at most one.`,
      );

    const customizationType = request.customizationType ?? "FINE_TUNING";
    const base = await resolveBaseModel(request.baseModelIdentifier, customizationType, this.options);
    const hyperParameters = parseHyperParameters(request.hyperParameters, base.contextLength);
    if (!hyperParameters.ok) throw new ValidationException(hyperParameters.reason);
    this.options.objectStores.resolve(
      jobOutputPrefix(request.outputDataS3Uri, "000000000000"),
      "outputDataConfig.s3Uri",
    );
    await this.checkData({
      customizationType: customizationType as CustomizationType,
      trainingUri: request.trainingDataS3Uri,
      validationUris: request.validationDataS3Uris,
      modelFile: base.baseModelFile,
      contextLength: base.contextLength,
      sequenceLength: hyperParameters.values.maxSequenceLength,
    });

    let job: CustomizationJob;
    try {
      job = await jobs.insert({
        jobId: newResourceId(),
        jobName: request.jobName,
        customModelName: request.customModelName,
        roleArn: request.roleArn,
        baseModelId: base.baseModelId,
        ...(base.baseCustomModel ? { baseCustomModelId: base.baseCustomModel.customModelId } : {}),
        baseModelFile: base.baseModelFile,
        customizationType: customizationType as CustomizationType,
        hyperParameters: hyperParameters.effective,
        trainingDataUri: request.trainingDataS3Uri,
        validationDataUris: request.validationDataS3Uris,
        outputDataUri: request.outputDataS3Uri,
        ...(request.clientRequestToken ? { clientRequestToken: request.clientRequestToken } : {}),
        requestFingerprint: fingerprint,
      });
    } catch (error) {
      // Two requests raced past the checks above: the table's unique columns decide.
      if (/UNIQUE constraint failed/.test(String(error)))
        throw new ConflictException(
          `A model customization job named ${request.jobName} (or with this clientRequestToken) already exists.`,
        );
      throw error;
    }
    this.options.runner.schedule();
    return job;
  }

  /** Every line of every file, with the base model's tokenizer, before a job exists. */
  private async checkData(check: {
    customizationType: CustomizationType;
    trainingUri: string;
    validationUris: string[];
    modelFile: string;
    contextLength: number;
    sequenceLength: number;
  }): Promise<void> {
    try {
      await requireDatasetObject(check.trainingUri, this.options.objectStores, "trainingDataConfig.s3Uri");
      for (const uri of check.validationUris)
        await requireDatasetObject(uri, this.options.objectStores, "validationDataConfig.validators[].s3Uri");
      await prepareJobData({
        locations: { training: check.trainingUri, validation: check.validationUris },
        customizationType: check.customizationType,
        modelPath: localModelFilePath(this.options.dataDirectory, { filePath: check.modelFile }),
        contextLength: check.contextLength,
        sequenceLength: check.sequenceLength,
        limits: this.options.limits,
        objectStores: this.options.objectStores,
        tokenizers: this.options.tokenizers,
      });
    } catch (error) {
      if (error instanceof DatasetNotFoundError || error instanceof DatasetProblemsError)
        throw new ValidationException(error.message.slice(0, 4000));
      throw error;
    }
  }

  /** By job ARN or job name. */
  async getJob(identifier: string): Promise<CustomizationJob> {
    const jobId = idFromCustomizationArn(identifier, "model-customization-job");
    const job = jobId ? await this.options.jobs.find(jobId) : await this.options.jobs.findByName(identifier);
    if (!job) throw new ResourceNotFoundException(`No model customization job ${identifier}.`);
    return job;
  }

  async listJobs(): Promise<CustomizationJob[]> {
    return this.options.jobs.list();
  }

  async stopJob(identifier: string): Promise<void> {
    const job = await this.getJob(identifier);
    if (!(await this.options.jobs.requestStop(job.jobId)))
      throw new ConflictException(
        `Model customization job ${job.jobName} is ${job.status}; only an InProgress job can be stopped.`,
      );
    await this.options.runner.stop(job.jobId);
  }

  /** By custom-model ARN or name. */
  async getCustomModel(identifier: string): Promise<CustomModel> {
    const model = await this.options.customModels.findByIdentifier(identifier);
    if (!model) throw new ResourceNotFoundException(`No custom model ${identifier}.`);
    return model;
  }

  async listCustomModels(): Promise<CustomModel[]> {
    return this.options.customModels.list();
  }

  async deleteCustomModel(identifier: string): Promise<void> {
    const model = await this.getCustomModel(identifier);
    const users = await this.options.customModelInUse(this.options.customModelArnOf(model));
    if (users.length > 0)
      throw new ConflictException(
        `Custom model ${model.modelName} is in use by ${users.join(", ")}; delete those first.`,
      );
    const training = (await this.options.jobs.list()).find(
      (job) =>
        job.baseCustomModelId === model.customModelId &&
        (job.status === "InProgress" || job.status === "Stopping"),
    );
    if (training)
      throw new ConflictException(
        `Custom model ${model.modelName} is the base of job ${training.jobName}, which is still running.`,
      );
    await this.options.customModels.remove(model.customModelId);
    await rm(join(this.options.dataDirectory, model.artifactFile), { force: true });
  }
}
