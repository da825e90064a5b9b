// The end of a completed job: Bedrock's metrics CSVs under the output prefix, then the artifact moved into
// <data-dir>/models/ and one transaction that registers the custom model (with its lineage) and completes the
// job. The custom model id is kept in the job directory, so a registration cut short by a crash redoes the
// same move and the same insert.
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import type { PreparedJobData } from "../datasets/prepare-job-data.js";
import type { StagedDataset } from "../datasets/stage-dataset.js";
import type { HyperParameters } from "../hyperparameters/parse-hyperparameters.js";
import type { CustomizationJob } from "./customization-job-store.js";
import type { MetricPoint } from "./customization-metrics-store.js";
import { evaluateAgainstBase } from "./evaluate-against-base.js";
import { jobOutputPrefix, metricsCsv, trainingMetricsFile, validationMetricsFile } from "./metrics-csv.js";
import type { CustomizationJobDependencies } from "./run-customization-job.js";

export async function writeMetricsCsvs(
  job: CustomizationJob,
  points: readonly MetricPoint[],
  objectStores: ObjectStoreResolver,
): Promise<void> {
  const { store, key } = objectStores.resolve(
    jobOutputPrefix(job.outputDataUri, job.jobId),
    "outputDataConfig.s3Uri",
  );
  await store.put(`${key}${trainingMetricsFile}`, Buffer.from(metricsCsv(points, "training")), {
    contentType: "text/csv",
  });
  if (job.validationDataUris.length > 0)
    await store.put(`${key}${validationMetricsFile}`, Buffer.from(metricsCsv(points, "validation")), {
      contentType: "text/csv",
    });
}

export async function registerCustomModel(request: {
  job: CustomizationJob;
  deps: CustomizationJobDependencies;
  directory: string;
  /** Where the trainer exported the adapter or merged model. */
  outputPath: string;
  points: readonly MetricPoint[];
  /** The step the exported model was trained to. */
  steps: number;
  hyperParameters: HyperParameters;
  datasets: { training: StagedDataset; validation: readonly StagedDataset[] };
  data: PreparedJobData;
  /** Stops the base-vs-custom evaluation (the job is stopped, or the server shuts down). */
  signal: AbortSignal;
}): Promise<string> {
  const { job, deps, directory, outputPath, points, steps, hyperParameters, datasets, data } = request;
  const customModelId = await reservedCustomModelId(directory, deps.newCustomModelId);
  const artifactFile = join("models", `custom-${customModelId}.gguf`);
  try {
    await rename(outputPath, join(deps.dataDirectory, artifactFile));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== "ENOENT" ||
      !(await exists(join(deps.dataDirectory, artifactFile)))
    )
      throw error;
  }
  const artifactKind = hyperParameters.trainingMethod === "lora" ? "lora-adapter" : "merged-model";
  const evaluation = await evaluateAgainstBase({
    job,
    deps,
    customModelId,
    artifactFile,
    artifactKind,
    validation: datasets.validation,
    signal: request.signal,
  });
  const lastTraining = points.filter((point) => point.kind === "training").at(-1);
  const finalValidation = points.filter((point) => point.kind === "validation").at(-1);
  const finalValidationLosses = finalValidation ? [finalValidation.loss] : [];
  await deps.customModels.registerForCompletedJob({
    customModelId,
    modelName: job.customModelName,
    jobId: job.jobId,
    jobName: job.jobName,
    baseModelId: job.baseModelId,
    ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
    customizationType: job.customizationType,
    trainingMethod: hyperParameters.trainingMethod,
    baseModelFile: job.baseModelFile,
    artifactFile,
    artifactKind,
    fileSizeBytes: (await stat(join(deps.dataDirectory, artifactFile))).size,
    hyperParameters: job.hyperParameters,
    trainingDataUri: job.trainingDataUri,
    validationDataUris: job.validationDataUris,
    outputDataUri: job.outputDataUri,
    ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
    validationLosses: finalValidationLosses,
    lineage: {
      baseModelId: job.baseModelId,
      ...(job.baseCustomModelId ? { baseCustomModelId: job.baseCustomModelId } : {}),
      trainingData: {
        s3Uri: datasets.training.s3Uri,
        sha256: datasets.training.sha256,
        bytes: datasets.training.bytes,
        records: data.trainingReport.records,
      },
      validationData: datasets.validation.map((file, index) => ({
        s3Uri: file.s3Uri,
        sha256: file.sha256,
        bytes: file.bytes,
        records: data.validationReports[index]?.records ?? 0,
      })),
      hyperParameters: job.hyperParameters,
      steps,
      trainedTokens: data.trainedTokensPerEpoch * hyperParameters.epochCount,
      ...(lastTraining ? { trainingLoss: lastTraining.loss } : {}),
      validationLosses: finalValidationLosses,
      trainerVersion: deps.trainerVersion,
    },
    ...(evaluation ? { evaluation } : {}),
  });
  return customModelId;
}

async function reservedCustomModelId(directory: string, newId: () => string): Promise<string> {
  const path = join(directory, "custom-model-id");
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const id = newId();
  await writeFile(path, id);
  return id;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
