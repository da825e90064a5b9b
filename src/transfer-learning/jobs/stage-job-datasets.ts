// A running job's labeled files: hashed local copies in the job directory (a rerun reads exactly the bytes it
// hashed, whatever happens to the S3 objects), checked again exactly as CreateTransferLearningJob checked them;
// problems name the S3 files as the user gave them.
import { join } from "node:path";
import { type StagedDataset, stageDataset } from "../../customization/datasets/stage-dataset.js";
import type { DatasetLimits } from "../../customization/datasets/validate-dataset-at.js";
import { JobFailure } from "../../customization/jobs/run-customization-job.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import {
  datasetFieldNames,
  type JobDatasetLocations,
  type JobDatasets,
  LabeledDataProblemsError,
  readJobDatasets,
} from "../datasets/read-job-datasets.js";

export interface StagedJobDatasets {
  staged: Partial<Record<keyof JobDatasetLocations, StagedDataset>>;
  datasets: JobDatasets;
}

export async function stageJobDatasets(
  sources: JobDatasetLocations,
  directory: string,
  options: {
    objectStores: ObjectStoreResolver;
    limits: { training: DatasetLimits; validation: DatasetLimits };
  },
): Promise<StagedJobDatasets> {
  const staged: StagedJobDatasets["staged"] = {};
  const paths: Partial<JobDatasetLocations> = {};
  for (const role of ["training", "validation", "test"] as const) {
    const uri = sources[role];
    if (!uri) continue;
    const copy = await stageDataset(
      uri,
      join(directory, "data", `${role}.jsonl`),
      options.objectStores,
      datasetFieldNames[role],
    );
    staged[role] = copy;
    paths[role] = copy.path;
  }
  try {
    const datasets = await readJobDatasets(
      { training: paths.training ?? "", ...paths },
      { ...options, names: sources },
    );
    return { staged, datasets };
  } catch (error) {
    if (error instanceof LabeledDataProblemsError) throw new JobFailure(error.message);
    throw error;
  }
}
