// Evaluations: Bedrock's CreateEvaluationJob / ListEvaluationJobs / StopEvaluationJob (automated model
// evaluation on a JSONL prompt dataset) and Strata's GetEvaluationJobResults (the report's data).
import { apiPath, callJson } from "../../lib/api-client.js";
import { randomToken } from "../../lib/random-token.js";

export interface EvaluationJobSummary {
  jobArn: string;
  jobName: string;
  status: string;
  creationTime: string;
  evaluationTaskTypes?: string[];
  modelIdentifiers?: string[];
}

export interface ModelResults {
  modelIdentifier: string;
  examples: number;
  failedExamples: number;
  metrics: Record<string, number>;
}

export interface MetricComparison {
  metric: string;
  base: number;
  candidate: number;
  delta: number;
  higherIsBetter: boolean;
  verdict: "better" | "worse" | "same";
}

export interface ChangedExample {
  line: number;
  prompt: string;
  reference?: string;
  baseResponse?: string;
  candidateResponse?: string;
  metric: string;
  baseScore: number;
  candidateScore: number;
  change: string;
}

export interface DatasetResults {
  datasetName: string;
  taskType: string;
  s3Uri: string;
  examples: number;
  primaryMetric: string;
  models: ModelResults[];
  comparison?: {
    baseModelIdentifier: string;
    candidateModelIdentifier: string;
    primaryMetric: string;
    verdict: "better" | "worse" | "same";
    metrics: MetricComparison[];
    improvedExamples: number;
    regressedExamples: number;
    changedExamples: ChangedExample[];
  };
}

export interface EvaluationResults {
  jobArn: string;
  jobName: string;
  status: string;
  failureMessages?: string[];
  progress: { examplesDone: number; examplesTotal: number };
  resultsS3Uri?: string;
  reportS3Uri?: string;
  datasets: DatasetResults[];
}

export interface EvaluationRequest {
  jobName: string;
  taskType: string;
  datasetS3Uri: string;
  metricNames: string[];
  modelIdentifiers: string[];
  maxTokens: number;
  outputS3Uri: string;
}

export async function listEvaluationJobs(signal: AbortSignal): Promise<EvaluationJobSummary[]> {
  const { jobSummaries } = await callJson<{ jobSummaries: EvaluationJobSummary[] }>({
    method: "GET",
    path: "/evaluation-jobs",
    query: { sortOrder: "Descending", maxResults: 100 },
    signal,
  });
  return jobSummaries;
}

export function getEvaluationResults(job: string, signal: AbortSignal): Promise<EvaluationResults> {
  return callJson({ method: "GET", path: apiPath`/strata/evaluation-jobs/${job}/results`, signal });
}

export async function stopEvaluationJob(jobArn: string): Promise<void> {
  await callJson({ method: "POST", path: apiPath`/evaluation-job/${jobArn}/stop` });
}

export async function createEvaluationJob(request: EvaluationRequest, accountId: string): Promise<string> {
  const { jobArn } = await callJson<{ jobArn: string }>({
    method: "POST",
    path: "/evaluation-jobs",
    json: {
      jobName: request.jobName,
      roleArn: `arn:aws:iam::${accountId}:role/strata-console-evaluation`,
      evaluationConfig: {
        automated: {
          datasetMetricConfigs: [
            {
              taskType: request.taskType,
              dataset: { name: "prompts", datasetLocation: { s3Uri: request.datasetS3Uri } },
              metricNames: request.metricNames,
            },
          ],
        },
      },
      inferenceConfig: {
        models: request.modelIdentifiers.map((modelIdentifier) => ({
          bedrockModel: {
            modelIdentifier,
            inferenceParams: JSON.stringify({ inferenceConfig: { maxTokens: request.maxTokens } }),
          },
        })),
      },
      outputDataConfig: { s3Uri: request.outputS3Uri },
      clientRequestToken: randomToken(),
    },
  });
  return jobArn;
}

export async function listDatasetUris(signal: AbortSignal): Promise<string[]> {
  const { datasets } = await callJson<{ datasets: { s3Uri: string }[] }>({
    method: "GET",
    path: "/strata/datasets",
    signal,
  });
  return datasets.map((dataset) => dataset.s3Uri);
}

/** Models an evaluation can run: local catalog models and reservations in service. */
export async function listEvaluableModels(signal: AbortSignal): Promise<{ id: string; label: string }[]> {
  const [catalog, reservations] = await Promise.all([
    callJson<{ models: { modelId: string; servedBy: string; outputModalities: string[] }[] }>({
      method: "GET",
      path: "/strata/catalog",
      signal,
    }),
    callJson<{ provisionedModelSummaries: { provisionedModelName: string; provisionedModelArn: string }[] }>({
      method: "GET",
      path: "/provisioned-model-throughputs",
      query: { statusEquals: "InService", maxResults: 100 },
      signal,
    }),
  ]);
  return [
    ...catalog.models
      .filter((model) => model.servedBy !== "CATALOG_ONLY" && model.outputModalities.includes("TEXT"))
      .map((model) => ({ id: model.modelId, label: model.modelId })),
    ...reservations.provisionedModelSummaries.map((reservation) => ({
      id: reservation.provisionedModelArn,
      label: `${reservation.provisionedModelName} (provisioned)`,
    })),
  ];
}

export function getAccountAndBucket(
  signal: AbortSignal,
): Promise<{ accountId: string; objectStore: { bucket: string } }> {
  return callJson({ method: "GET", path: "/strata/info", signal });
}
