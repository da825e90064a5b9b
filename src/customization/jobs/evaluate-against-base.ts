// Runs the base-vs-custom gate (custom-model-gate.ts) for a job that has validation data, on the artifact already
// in its final place under <data-dir>/models/ (the engine then loads the same file provisioned throughput will
// serve). A gate that cannot run leaves a Failed evaluation with its reason and the model is registered all the
// same; a stop during the gate removes the artifact (a Stopped job leaves no files), a shutdown leaves it for the
// resumed run, which moves the re-exported file over it.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { localModelFilePath } from "../../catalog/local-model-registry.js";
import type { EngineModel } from "../../inference/engine/inference-engine.js";
import type { StagedDataset } from "../datasets/stage-dataset.js";
import type { CustomModelEvaluation } from "./custom-model-gate.js";
import type { CustomizationJob } from "./customization-job-store.js";
import { jobOutputPrefix } from "./metrics-csv.js";
import type { CustomizationJobDependencies, StopReason } from "./run-customization-job.js";

export async function evaluateAgainstBase(request: {
  job: CustomizationJob;
  deps: CustomizationJobDependencies;
  customModelId: string;
  /** Relative to the data directory. */
  artifactFile: string;
  artifactKind: "lora-adapter" | "merged-model";
  validation: readonly StagedDataset[];
  signal: AbortSignal;
}): Promise<CustomModelEvaluation | undefined> {
  const { job, deps, signal } = request;
  if (!deps.gate || request.validation.length === 0) return undefined;
  await deps.jobs.recordProgress(job.jobId, { phase: "Evaluating" });
  const basePath = localModelFilePath(deps.dataDirectory, { filePath: job.baseModelFile });
  const artifactPath = join(deps.dataDirectory, request.artifactFile);
  const base: EngineModel = { modelId: job.baseModelId, filePath: basePath };
  const custom: EngineModel =
    request.artifactKind === "lora-adapter"
      ? { modelId: job.customModelName, filePath: basePath, adapter: { filePath: artifactPath, scale: 1 } }
      : { modelId: job.customModelName, filePath: artifactPath };
  const started = performance.now();
  try {
    return await deps.gate({
      job,
      customModelId: request.customModelId,
      base,
      custom,
      validationData: request.validation.map((file) => ({ path: file.path, s3Uri: file.s3Uri })),
      outputPrefixUri: `${jobOutputPrefix(job.outputDataUri, job.jobId)}base-vs-custom/`,
      signal,
    });
  } catch (error) {
    if (signal.aborted) {
      if (signal.reason === ("stop" satisfies StopReason)) await rm(artifactPath, { force: true });
      throw error;
    }
    deps.logger.warn("base-vs-custom evaluation failed", {
      jobId: job.jobId,
      error: (error as Error).message,
    });
    return {
      status: "Failed",
      failureMessage: `The evaluation against the base model could not run: ${(error as Error).message}`,
      baseModelId: job.baseModelId,
      validationData: request.validation.map((file) => file.s3Uri),
      records: 0,
      examplesEvaluated: 0,
      seconds: (performance.now() - started) / 1000,
      evaluatedAt: new Date().toISOString(),
      metrics: [],
      improvedExamples: 0,
      regressedExamples: 0,
    };
  } finally {
    await deps.jobs.recordProgress(job.jobId, { phase: "Registering" });
  }
}
