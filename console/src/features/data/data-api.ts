// Datasets: upload into Strata's object store (UploadDataset: the browser cannot reach the S3 endpoint, another
// origin), list, validate completely (ValidateDataset) and ask the method advisor (AdviseCustomizationMethod).
import { callJson } from "../../lib/api-client.js";

export interface DatasetSummary {
  name: string;
  s3Uri: string;
  bytes: number;
}

export interface DatasetProblem {
  file: string;
  /** 1-based; 0 for the file as a whole. */
  line: number;
  field?: string;
  reason: string;
}

export interface DatasetReport {
  valid: boolean;
  format: string;
  records: number;
  bytes: number;
  problems: DatasetProblem[];
  omittedProblems: number;
  stats: {
    characters: number;
    maxRecordCharacters: number;
    maxRecordTokens?: number;
    validRecords: number;
    emptyLines: number;
  };
}

export interface MethodAdvice {
  detectedFormat: string;
  recordsExamined: number;
  recommendedMethod?: string;
  customizationType?: string;
  reason: string;
  methods: { method: string; customizationType?: string; fits: boolean; dataNeeded: string }[];
}

export async function listDatasets(signal: AbortSignal): Promise<DatasetSummary[]> {
  const { datasets } = await callJson<{ datasets: DatasetSummary[] }>({
    method: "GET",
    path: "/strata/datasets",
    signal,
  });
  return datasets;
}

/** The object's name: the upload time first, so that names never collide and sort by time. */
export function datasetNameFor(fileName: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  const base = fileName.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[._-]+/, "") || "dataset.jsonl";
  return `${stamp}-${base}`.slice(0, 200);
}

export async function uploadDataset(file: File): Promise<{ s3Uri: string; bytes: number }> {
  return callJson({
    method: "POST",
    path: "/strata/datasets",
    query: { name: datasetNameFor(file.name) },
    bytes: new Uint8Array(await file.arrayBuffer()),
    contentType: "application/x-ndjson",
  });
}

export async function validateDataset(
  s3Uri: string,
  options: { baseModelIdentifier?: string; validation?: boolean },
): Promise<DatasetReport> {
  const { report } = await callJson<{ report: DatasetReport }>({
    method: "POST",
    path: "/strata/datasets/validate",
    json: {
      s3Uri,
      ...(options.baseModelIdentifier ? { baseModelIdentifier: options.baseModelIdentifier } : {}),
      ...(options.validation ? { validation: true } : {}),
    },
  });
  return report;
}

export async function adviseMethod(s3Uri: string, goal: string): Promise<MethodAdvice> {
  return callJson({
    method: "POST",
    path: "/strata/datasets/advise",
    json: { s3Uri, ...(goal.trim() ? { goal: goal.trim() } : {}) },
  });
}

export async function listCustomizableModels(signal: AbortSignal): Promise<string[]> {
  const { models } = await callJson<{
    models: { modelId: string; customizationsSupported: string[]; servedBy: string }[];
  }>({
    method: "GET",
    path: "/strata/catalog",
    query: { byServedBy: "LOCAL_ENGINE" },
    signal,
  });
  return models.filter((model) => model.customizationsSupported.length > 0).map((model) => model.modelId);
}
