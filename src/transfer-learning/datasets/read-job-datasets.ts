// A transfer-learning job's labeled files, read and checked together — the training file first (its labels are
// the classes), then the validation and test files against them. The same path runs when the job is created
// (on the S3 objects: a bad file refuses the job) and when it runs (on its staged copies).

import { openDatasetStream } from "../../customization/datasets/dataset-lines.js";
import type { DatasetLimits } from "../../customization/datasets/validate-dataset-at.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { describeLabeledProblems, type LabeledDatasetReport, readLabeledDataset } from "./labeled-dataset.js";

/** The data cannot train the job; the message lists the problems (file:line field: reason). */
export class LabeledDataProblemsError extends Error {
  override readonly name = "LabeledDataProblemsError";
}

export interface JobDatasetLocations {
  training: string;
  validation?: string;
  test?: string;
}

export const datasetFieldNames = {
  training: "trainingDataConfig.s3Uri",
  validation: "validationDataConfig.s3Uri",
  test: "testDataConfig.s3Uri",
} as const;

export interface JobDatasets {
  training: LabeledDatasetReport;
  validation?: LabeledDatasetReport;
  test?: LabeledDatasetReport;
}

export async function readJobDatasets(
  locations: JobDatasetLocations,
  options: {
    objectStores: ObjectStoreResolver;
    limits: { training: DatasetLimits; validation: DatasetLimits };
    names?: JobDatasetLocations;
  },
): Promise<JobDatasets> {
  const read = async (role: keyof JobDatasetLocations, trainingLabels?: readonly string[]) => {
    const location = locations[role];
    if (!location) return undefined;
    // A test file is only evaluated, so it may be as large as a training file; validation runs every epoch.
    const limits = role === "validation" ? options.limits.validation : options.limits.training;
    return readLabeledDataset(
      await openDatasetStream(location, options.objectStores, datasetFieldNames[role]),
      {
        fileName: options.names?.[role] ?? location,
        ...(trainingLabels ? { trainingLabels } : {}),
        ...(limits.maxRecords === undefined ? {} : { maxRecords: limits.maxRecords }),
        ...(limits.maxBytes === undefined ? {} : { maxBytes: limits.maxBytes }),
      },
    );
  };
  const training = (await read("training")) as LabeledDatasetReport;
  if (training.problems.length > 0) throw problemsError([training]);
  const validation = await read("validation", training.labels);
  const test = await read("test", training.labels);
  const withProblems = [validation, test].filter(
    (report): report is LabeledDatasetReport => (report?.problems.length ?? 0) > 0,
  );
  if (withProblems.length > 0) throw problemsError(withProblems);
  return { training, ...(validation ? { validation } : {}), ...(test ? { test } : {}) };
}

function problemsError(reports: readonly LabeledDatasetReport[]): LabeledDataProblemsError {
  return new LabeledDataProblemsError(
    `The dataset is not valid: ${reports.map((report) => describeLabeledProblems(report)).join("; ")}`,
  );
}
