// The base-vs-custom gate: when a job with validation data has trained its model, the custom model and the base
// it was trained from are both evaluated on that validation data, inside the job (its time is the job's time),
// and the summary is registered with the custom model. Evaluation implements the hook (src/evaluation/gate/);
// without one (tests of the runner alone) jobs register their models without an evaluation.
import type { EngineModel } from "../../inference/engine/inference-engine.js";
import type { CustomizationJob } from "./customization-job-store.js";

export interface CustomModelGateRequest {
  job: CustomizationJob;
  /** The id the custom model is registered under once the gate has run. */
  customModelId: string;
  base: EngineModel;
  custom: EngineModel;
  /** The job's staged (already validated) copies of its validation files. */
  validationData: { path: string; s3Uri: string }[];
  /** Where the gate writes its results.json and report.html (s3://…/). */
  outputPrefixUri: string;
  /** Aborted when the job is stopped or the server shuts down. */
  signal: AbortSignal;
}

export interface GateMetricComparison {
  metric: string;
  base: number;
  candidate: number;
  delta: number;
  higherIsBetter: boolean;
  verdict: "better" | "worse" | "same";
}

/** What GetCustomModel and GetCustomModelLineage show, and `strata custom-models get` prints. */
export interface CustomModelEvaluation {
  /** Failed: the evaluation could not run (the reason says why); the model is registered all the same. */
  status: "Completed" | "Failed";
  failureMessage?: string;
  baseModelId: string;
  validationData: string[];
  records: number;
  examplesEvaluated: number;
  seconds: number;
  /** ISO 8601. */
  evaluatedAt: string;
  /** The metric the verdict is decided on. */
  primaryMetric?: string;
  /** How the custom model did against its base on the primary metric. */
  verdict?: "better" | "worse" | "same";
  metrics: GateMetricComparison[];
  improvedExamples: number;
  regressedExamples: number;
  resultsS3Uri?: string;
  reportS3Uri?: string;
}

export type CustomModelGate = (request: CustomModelGateRequest) => Promise<CustomModelEvaluation>;
