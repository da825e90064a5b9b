// The end of a completed transfer-learning job: the head's JSON written next to the other custom models
// (<data-dir>/models/custom-<id>.classifier.json, by rename so it is never half written), then one transaction
// that registers the custom model with its lineage and completes the job. The id is kept in the job directory,
// so a registration cut short by a crash writes the same file and the same row.
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StagedDataset } from "../../customization/datasets/stage-dataset.js";
import type { CustomizationJob } from "../../customization/jobs/customization-job-store.js";
import type { MetricPoint } from "../../customization/jobs/customization-metrics-store.js";
import type { TransferLearningJobDependencies } from "./run-transfer-learning-job.js";
import type { TrainedHead } from "./train-heads.js";

export function classifierArtifactFile(customModelId: string): string {
  return join("models", `custom-${customModelId}.classifier.json`);
}

export async function registerClassifier(request: {
  job: CustomizationJob;
  deps: TransferLearningJobDependencies;
  directory: string;
  head: TrainedHead;
  points: readonly MetricPoint[];
  datasets: {
    training: { staged: StagedDataset | undefined; records: number };
    validation?: { staged: StagedDataset; records: number };
  };
  hyperParameters: Record<string, string>;
}): Promise<string> {
  const { job, deps, directory, head, points, datasets } = request;
  const idFile = join(directory, "custom-model-id");
  const existing = (await readFile(idFile, "utf8").catch(() => "")).trim();
  const customModelId = existing || deps.newCustomModelId();
  if (!existing) await writeFile(idFile, customModelId);
  const artifactFile = classifierArtifactFile(customModelId);
  const artifactPath = join(deps.dataDirectory, artifactFile);
  await writeFile(`${artifactPath}.partial`, JSON.stringify(head.head));
  await rename(`${artifactPath}.partial`, artifactPath);
  const lastTraining = points.filter((point) => point.kind === "training").at(-1);
  const validationLosses = [head.summary.bestValidationLoss];
  const lineageOf = (dataset: { staged: StagedDataset | undefined; records: number }) => ({
    s3Uri: dataset.staged?.s3Uri ?? job.trainingDataUri,
    sha256: dataset.staged?.sha256 ?? "",
    bytes: dataset.staged?.bytes ?? 0,
    records: dataset.records,
  });
  await deps.customModels.registerForCompletedJob({
    customModelId,
    modelName: job.customModelName,
    jobId: job.jobId,
    jobName: job.jobName,
    baseModelId: job.baseModelId,
    ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
    customizationType: "TRANSFER_LEARNING",
    trainingMethod: "frozen-base",
    baseModelFile: job.baseModelFile,
    artifactFile,
    artifactKind: "classification-head",
    fileSizeBytes: (await stat(artifactPath)).size,
    hyperParameters: job.hyperParameters,
    trainingDataUri: job.trainingDataUri,
    validationDataUris: job.validationDataUris,
    outputDataUri: job.outputDataUri,
    ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
    validationLosses,
    lineage: {
      baseModelId: job.baseModelId,
      ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
      trainingData: lineageOf(datasets.training),
      validationData: datasets.validation ? [lineageOf(datasets.validation)] : [],
      hyperParameters: job.hyperParameters,
      steps: head.summary.epochs,
      // The base model is frozen: no token trains it. The head trains on one embedding per record.
      trainedTokens: 0,
      ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
      validationLosses,
      trainerVersion: `strata transfer learning: ${head.head.headType} head on mean-pooled embeddings`,
    },
  });
  return customModelId;
}
