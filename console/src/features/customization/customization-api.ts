// Model customization through Bedrock's control plane (jobs) and Strata's extensions (the dry-run estimate and
// live progress with metrics).
import { apiPath, callJson } from "../../lib/api-client.js";
import { randomToken } from "../../lib/random-token.js";

export interface JobSummary {
  jobArn: string;
  jobName: string;
  status: string;
  baseModelArn: string;
  customModelArn?: string;
  customModelName?: string;
  customizationType?: string;
  creationTime: string;
  endTime?: string;
}

export interface Job {
  jobArn: string;
  jobName: string;
  status: string;
  failureMessage?: string;
  outputModelName: string;
  outputModelArn?: string;
  baseModelArn: string;
  customizationType?: string;
  hyperParameters: Record<string, string>;
  trainingDataConfig: { s3Uri: string };
  creationTime: string;
  endTime?: string;
}

export interface MetricPoint {
  kind: "training" | "validation";
  step: number;
  epoch: number;
  loss: number;
  perplexity: number;
  learningRate?: number;
  tokensPerSecond?: number;
}

export interface JobProgress {
  jobName: string;
  status: string;
  phase: string;
  step: number;
  totalSteps?: number;
  epoch?: number;
  epochCount?: number;
  trainingLoss?: number;
  validationLoss?: number;
  tokensPerSecond?: number;
  etaSeconds?: number;
  failureMessage?: string;
  outputModelArn?: string;
  metrics: MetricPoint[];
}

export interface Estimate {
  format: string;
  records: number;
  validationRecords: number;
  tokens: number;
  trainedTokens: number;
  epochs: number;
  totalSteps: number;
  stepsPerEpoch: number;
  estimatedSeconds: number;
  throughput: { tokensPerSecond: number; source: string };
  memory: { description: string; fits: boolean };
  cost: {
    localCost: number;
    localPricePer1kTokens: number;
    bedrockEquivalents: { modelName: string; cost: number; pricePer1kTokens: number }[];
  };
  hyperParameters: Record<string, string>;
}

export interface JobRequest {
  jobName: string;
  customModelName: string;
  baseModelIdentifier: string;
  customizationType: string;
  trainingDataS3Uri: string;
  validationDataS3Uri?: string;
  outputS3Uri: string;
  hyperParameters: Record<string, string>;
}

export interface BaseModel {
  modelId: string;
  customizationsSupported: string[];
  contextWindowTokens?: number;
}

export async function listJobs(signal: AbortSignal): Promise<JobSummary[]> {
  const { modelCustomizationJobSummaries } = await callJson<{ modelCustomizationJobSummaries: JobSummary[] }>(
    {
      method: "GET",
      path: "/model-customization-jobs",
      query: { sortOrder: "Descending", maxResults: 100 },
      signal,
    },
  );
  return modelCustomizationJobSummaries;
}

export function getJob(job: string, signal: AbortSignal): Promise<Job> {
  return callJson({ method: "GET", path: apiPath`/model-customization-jobs/${job}`, signal });
}

export function getProgress(job: string, afterStep: number, signal: AbortSignal): Promise<JobProgress> {
  return callJson({
    method: "GET",
    path: apiPath`/strata/model-customization-jobs/${job}/progress`,
    query: { afterStep },
    signal,
  });
}

export async function stopJob(job: string): Promise<void> {
  await callJson({ method: "POST", path: apiPath`/model-customization-jobs/${job}/stop` });
}

export function estimateJob(request: JobRequest): Promise<Estimate> {
  return callJson({
    method: "POST",
    path: "/strata/model-customization-jobs/estimate",
    json: {
      baseModelIdentifier: request.baseModelIdentifier,
      customizationType: request.customizationType,
      trainingDataS3Uri: request.trainingDataS3Uri,
      ...(request.validationDataS3Uri ? { validationDataS3Uri: request.validationDataS3Uri } : {}),
      hyperParameters: request.hyperParameters,
    },
  });
}

export async function createJob(request: JobRequest, accountId: string): Promise<string> {
  const { jobArn } = await callJson<{ jobArn: string }>({
    method: "POST",
    path: "/model-customization-jobs",
    json: {
      jobName: request.jobName,
      customModelName: request.customModelName,
      // Bedrock requires a service role; Strata records it and runs the job itself.
      roleArn: `arn:aws:iam::${accountId}:role/strata-console-customization`,
      baseModelIdentifier: request.baseModelIdentifier,
      customizationType: request.customizationType,
      trainingDataConfig: { s3Uri: request.trainingDataS3Uri },
      ...(request.validationDataS3Uri
        ? { validationDataConfig: { validators: [{ s3Uri: request.validationDataS3Uri }] } }
        : {}),
      outputDataConfig: { s3Uri: request.outputS3Uri },
      hyperParameters: request.hyperParameters,
      clientRequestToken: randomToken(),
    },
  });
  return jobArn;
}

export async function listBaseModels(signal: AbortSignal): Promise<BaseModel[]> {
  const { models } = await callJson<{ models: BaseModel[] }>({
    method: "GET",
    path: "/strata/catalog",
    query: { byServedBy: "LOCAL_ENGINE" },
    signal,
  });
  return models.filter((model) => model.customizationsSupported.length > 0);
}

export async function listDatasetUris(signal: AbortSignal): Promise<string[]> {
  const { datasets } = await callJson<{ datasets: { s3Uri: string }[] }>({
    method: "GET",
    path: "/strata/datasets",
    signal,
  });
  return datasets.map((dataset) => dataset.s3Uri);
}

export function getServiceInfo(
  signal: AbortSignal,
): Promise<{ accountId: string; objectStore: { bucket: string } }> {
  return callJson({ method: "GET", path: "/strata/info", signal });
}
