// The training part of the usage report: what each customization or pretraining job cost at the configured local
// training price (USD per 1,000 trained tokens, the same figure EstimateModelCustomizationJob uses), next to what
// Bedrock charges to train a model of the same size class on the same tokens. Pure.
import type { UsageReportTrainingJob } from "../../protocol/generated/strata-types.js";
import {
  bedrockTrainingPriceOf,
  describeParameterCount,
  sizeClassOf,
  trainingSizeClasses,
} from "../bedrock-size-class.js";

/** A training job as the report needs it, whichever store it came from. */
export interface TrainingJobRecord {
  jobKind: "customization" | "pretraining";
  jobId: string;
  jobName: string;
  status: string;
  baseModelId?: string;
  outputModelId?: string;
  /** Of the model being trained. */
  parameterCount?: number;
  creationTime: Date;
  endTime?: Date;
  /** Undefined when not known (a customization job without a custom model: not completed, or model deleted). */
  trainedTokens?: number;
  /** Every id the job answers to in a model filter: job id and name, base and output model ids and ARNs. */
  identifiers: readonly string[];
}

export function priceTrainingJob(
  job: TrainingJobRecord,
  localPricePer1kTokens: number,
  now: Date,
): UsageReportTrainingJob {
  const end = job.endTime ?? now;
  const known = job.trainedTokens !== undefined;
  return {
    jobKind: job.jobKind,
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    ...(job.baseModelId ? { baseModelId: job.baseModelId } : {}),
    ...(job.outputModelId ? { outputModelId: job.outputModelId } : {}),
    ...(job.parameterCount === undefined ? {} : { parameterCount: job.parameterCount }),
    creationTime: job.creationTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    wallSeconds: Math.max(0, (end.getTime() - job.creationTime.getTime()) / 1000),
    ...(known ? { trainedTokens: job.trainedTokens } : {}),
    costUsd: known ? ((job.trainedTokens ?? 0) / 1000) * localPricePer1kTokens : 0,
    priceSource: known
      ? `localTrainingPricePer1kTokens: $${localPricePer1kTokens} per 1,000 trained tokens (configuration; the default 0 means your own hardware is not charged)`
      : "not priced: the trained-token count is recorded with the custom model, and this job has none (it did not complete, or its model was deleted)",
    bedrockEquivalent: bedrockTrainingEquivalent(job),
  };
}

function bedrockTrainingEquivalent(job: TrainingJobRecord): UsageReportTrainingJob["bedrockEquivalent"] {
  if (job.jobKind === "pretraining") {
    return {
      basis:
        "none: Bedrock does not train models from random weights (continued pre-training starts from one of its base models)",
    };
  }
  if (job.parameterCount === undefined) return { basis: "none: the base model's parameter count is unknown" };
  const sizeClass = sizeClassOf(trainingSizeClasses, job.parameterCount);
  const price = sizeClass ? bedrockTrainingPriceOf(sizeClass) : undefined;
  if (!sizeClass || !price) {
    return {
      basis: `none: no Bedrock training price for the size class of a ${describeParameterCount(job.parameterCount)}-parameter model`,
    };
  }
  const basis = `size class ${sizeClass.label} (${describeParameterCount(job.parameterCount)}): ${price.modelName} at $${price.pricePer1kTokens} per 1,000 trained tokens (${price.asOf})`;
  if (job.trainedTokens === undefined) {
    return { bedrockModelId: price.modelId, basis: `${basis}; not priced: trained tokens unknown` };
  }
  return {
    costUsd: (job.trainedTokens / 1000) * price.pricePer1kTokens,
    bedrockModelId: price.modelId,
    basis,
  };
}
