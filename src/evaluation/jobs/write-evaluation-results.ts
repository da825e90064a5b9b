// What a finished evaluation leaves under its output prefix: results.json (every example with every model's
// answer and scores, and the summary) and report.html (self-contained: charts, the models side by side, the
// examples whose result changed).
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { type ReportHeader, renderReport } from "../report/render-report.js";
import type { EvaluationDocument } from "../run/evaluation-results.js";

export const resultsFileName = "results.json";
export const reportFileName = "report.html";

export interface WrittenResults {
  resultsS3Uri: string;
  reportS3Uri: string;
}

/** `prefixUri` is the folder (s3://bucket/key/) the two files go into. */
export async function writeEvaluationResults(
  prefixUri: string,
  fieldName: string,
  document: EvaluationDocument,
  header: ReportHeader,
  objectStores: ObjectStoreResolver,
): Promise<WrittenResults> {
  const folder = prefixUri.endsWith("/") ? prefixUri : `${prefixUri}/`;
  const { store, key } = objectStores.resolve(folder, fieldName);
  await store.put(`${key}${resultsFileName}`, Buffer.from(`${JSON.stringify(document, null, 2)}\n`), {
    contentType: "application/json",
  });
  await store.put(`${key}${reportFileName}`, Buffer.from(renderReport(header, document)), {
    contentType: "text/html; charset=utf-8",
  });
  return { resultsS3Uri: `${folder}${resultsFileName}`, reportS3Uri: `${folder}${reportFileName}` };
}

/** Bedrock writes an evaluation's results under <output>/<job name>/<job id>/. */
export function evaluationOutputPrefix(outputS3Uri: string, jobName: string, jobId: string): string {
  return `${outputS3Uri.replace(/\/+$/, "")}/${jobName}/${jobId}/`;
}
