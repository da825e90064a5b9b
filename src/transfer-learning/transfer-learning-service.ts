// Transfer-learning jobs behind Strata's extension API. A job is a model customization job of type
// TRANSFER_LEARNING (model_customization_jobs, same runner, same ARNs, so Bedrock's Get/List/Stop
// ModelCustomizationJob and the CLI's `jobs` commands see it) plus its own row (transfer_learning_jobs). It is
// created here, not through CreateModelCustomizationJob, because Bedrock's customizationType enum cannot carry
// the value and its request has no field for labeled test data. Requests are checked completely (base model,
// hyperparameters, every line of every file) before a job is accepted.

import type { Catalog } from "../catalog/catalog.js";
import type { LocalModelRegistry } from "../catalog/local-model-registry.js";
import type { CustomModelRegistry } from "../customization/custom-models/custom-model-registry.js";
import { idFromCustomizationArn } from "../customization/customization-arns.js";
import { DatasetNotFoundError, requireDatasetObject } from "../customization/datasets/dataset-lines.js";
import type { JobDataLimits } from "../customization/datasets/prepare-job-data.js";
import { admitCustomizationJob } from "../customization/jobs/admit-customization-job.js";
import type { CustomizationJobRunner } from "../customization/jobs/customization-job-runner.js";
import type {
  CustomizationJob,
  CustomizationJobStore,
} from "../customization/jobs/customization-job-store.js";
import { jobOutputPrefix } from "../customization/jobs/metrics-csv.js";
import { newResourceId } from "../model-import/resource-ids.js";
import { ConflictException, ResourceNotFoundException, ValidationException } from "../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import {
  datasetFieldNames,
  LabeledDataProblemsError,
  readJobDatasets,
} from "./datasets/read-job-datasets.js";
import { resolveTransferLearningBase } from "./jobs/resolve-transfer-learning-base.js";
import { parseTransferLearningHyperParameters } from "./jobs/transfer-learning-hyperparameters.js";
import type {
  TransferLearningDetails,
  TransferLearningJobStore,
} from "./jobs/transfer-learning-job-store.js";

export interface CreateTransferLearningJobRequest {
  jobName: string;
  customModelName: string;
  baseModelIdentifier: string;
  trainingDataS3Uri: string;
  validationDataS3Uri?: string;
  testDataS3Uri?: string;
  outputDataS3Uri: string;
  hyperParameters?: Record<string, string>;
  roleArn?: string;
  clientRequestToken?: string;
}

export interface TransferLearningServiceOptions {
  accountId: string;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customModels: CustomModelRegistry;
  jobs: CustomizationJobStore;
  details: TransferLearningJobStore;
  runner: CustomizationJobRunner;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  /** The engine's context cap: a text is embedded in at most this many tokens. */
  maxContextSize: number;
}

export class TransferLearningService {
  constructor(private readonly options: TransferLearningServiceOptions) {}

  async createJob(request: CreateTransferLearningJobRequest): Promise<CustomizationJob> {
    const { jobs } = this.options;
    const admission = await admitCustomizationJob(this.options, request);
    if (admission.kind === "retry") return admission.job;
    const { fingerprint } = admission;
    const base = await resolveTransferLearningBase(request.baseModelIdentifier, this.options);
    const hyperParameters = parseTransferLearningHyperParameters(
      request.hyperParameters,
      Math.min(base.contextLength, this.options.maxContextSize),
    );
    if (!hyperParameters.ok) throw new ValidationException(hyperParameters.reason);
    this.options.objectStores.resolve(
      jobOutputPrefix(request.outputDataS3Uri, "000000000000"),
      "outputDataConfig.s3Uri",
    );
    await this.checkData(request);

    const jobId = newResourceId();
    // The details row first: the runner may pick the job up as soon as its row exists.
    await this.options.details.insert(jobId, request.testDataS3Uri);
    let job: CustomizationJob;
    try {
      job = await jobs.insert({
        jobId,
        jobName: request.jobName,
        customModelName: request.customModelName,
        roleArn: request.roleArn ?? `arn:aws:iam::${this.options.accountId}:role/strata-transfer-learning`,
        baseModelId: base.baseModelId,
        ...(base.baseCustomModelId ? { baseCustomModelId: base.baseCustomModelId } : {}),
        baseModelFile: base.baseModelFile,
        customizationType: "TRANSFER_LEARNING",
        hyperParameters: hyperParameters.effective,
        trainingDataUri: request.trainingDataS3Uri,
        validationDataUris: request.validationDataS3Uri ? [request.validationDataS3Uri] : [],
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

  /** By job ARN or name; only transfer-learning jobs. */
  async getJob(identifier: string): Promise<{ job: CustomizationJob; details: TransferLearningDetails }> {
    const jobId = idFromCustomizationArn(identifier, "model-customization-job");
    const job = jobId ? await this.options.jobs.find(jobId) : await this.options.jobs.findByName(identifier);
    const details = job ? await this.options.details.find(job.jobId) : undefined;
    if (job?.customizationType !== "TRANSFER_LEARNING" || !details)
      throw new ResourceNotFoundException(`No transfer-learning job ${identifier}.`);
    return { job, details };
  }

  private async checkData(request: CreateTransferLearningJobRequest): Promise<void> {
    const locations = {
      training: request.trainingDataS3Uri,
      ...(request.validationDataS3Uri ? { validation: request.validationDataS3Uri } : {}),
      ...(request.testDataS3Uri ? { test: request.testDataS3Uri } : {}),
    };
    try {
      for (const [role, uri] of Object.entries(locations))
        await requireDatasetObject(
          uri,
          this.options.objectStores,
          datasetFieldNames[role as keyof typeof datasetFieldNames],
        );
      await readJobDatasets(locations, {
        objectStores: this.options.objectStores,
        limits: this.options.limits,
      });
    } catch (error) {
      if (error instanceof DatasetNotFoundError || error instanceof LabeledDataProblemsError)
        throw new ValidationException(error.message.slice(0, 4000));
      throw error;
    }
  }
}
