// The dry run before launch: the same checks and data path as CreateModelCustomizationJob, then what the job
// would cost — steps, tokens (the base model's tokenizer and chat template), trained tokens × epochs, wall time
// from this host's measured trainer throughput, peak memory (the trainer's own estimate) and price.

import { freemem } from "node:os";
import { localModelFilePath } from "../../catalog/local-model-registry.js";
import { ValidationException } from "../../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { describeMemoryEstimate, estimateTrainingMemory } from "../../training/estimate-training-memory.js";
import { resolveTrainingConfig } from "../../training/training-config.js";
import { DatasetNotFoundError } from "../datasets/dataset-lines.js";
import { DatasetProblemsError, type JobDataLimits, prepareJobData } from "../datasets/prepare-job-data.js";
import type { TokenizerCache } from "../datasets/tokenizer-cache.js";
import { parseHyperParameters } from "../hyperparameters/parse-hyperparameters.js";
import type { CustomizationType } from "../jobs/customization-job-store.js";
import { planTrainingSteps } from "../jobs/plan-training-steps.js";
import { type BaseModelSources, resolveBaseModel } from "../jobs/resolve-base-model.js";
import { bedrockTrainingPrices } from "./bedrock-training-prices.js";
import { measureTrainingThroughput } from "./measure-training-throughput.js";
import type { TrainingThroughputStore } from "./training-throughput-store.js";

export interface EstimateRequest {
  baseModelIdentifier: string;
  customizationType?: string;
  trainingDataS3Uri: string;
  validationDataS3Uri?: string;
  hyperParameters?: Record<string, string>;
}

export interface EstimateDependencies extends BaseModelSources {
  dataDirectory: string;
  objectStores: ObjectStoreResolver;
  limits: JobDataLimits;
  throughput: TrainingThroughputStore;
  tokenizers: TokenizerCache;
  trainerThreads: number;
  localTrainingPricePer1kTokens: number;
}

export async function estimateCustomizationJob(request: EstimateRequest, deps: EstimateDependencies) {
  const customizationType = (request.customizationType ?? "FINE_TUNING") as CustomizationType;
  const base = await resolveBaseModel(request.baseModelIdentifier, customizationType, deps);
  const parsed = parseHyperParameters(request.hyperParameters, base.contextLength);
  if (!parsed.ok) throw new ValidationException(parsed.reason);
  const hyper = parsed.values;
  const modelPath = localModelFilePath(deps.dataDirectory, { filePath: base.baseModelFile });

  let data: Awaited<ReturnType<typeof prepareJobData>>;
  try {
    data = await prepareJobData({
      locations: {
        training: request.trainingDataS3Uri,
        validation: request.validationDataS3Uri ? [request.validationDataS3Uri] : [],
      },
      fieldNames: { training: "trainingDataS3Uri", validation: "validationDataS3Uri" },
      customizationType,
      modelPath,
      contextLength: base.contextLength,
      sequenceLength: hyper.maxSequenceLength,
      limits: deps.limits,
      objectStores: deps.objectStores,
      tokenizers: deps.tokenizers,
    });
  } catch (error) {
    if (error instanceof DatasetNotFoundError || error instanceof DatasetProblemsError)
      throw new ValidationException(error.message.slice(0, 4000));
    throw error;
  }
  const plan = planTrainingSteps(data.rows.length, hyper);
  const trainedTokens = data.trainedTokensPerEpoch * hyper.epochCount;
  // Every step runs batchSize rows forward and backward, whatever the loss counts.
  const processedTokens = Math.round((data.tokens / data.rows.length) * hyper.batchSize * plan.totalSteps);

  const trainingConfig = resolveTrainingConfig({
    modelPath,
    checkpointDirectory: "",
    training: data.training,
    mode: hyper.trainingMethod,
    loraRank: hyper.loraRank,
    loraAlpha: hyper.loraAlpha,
    sequenceLength: hyper.maxSequenceLength,
    learningRate: hyper.learningRate,
    threads: deps.trainerThreads,
  });
  const memory = estimateTrainingMemory(await deps.tokenizers.get(modelPath), trainingConfig);
  const availableBytes = freemem();

  const key = {
    baseModelFile: base.baseModelFile,
    trainingMethod: hyper.trainingMethod,
    loraRank: hyper.loraRank,
    sequenceLength: hyper.maxSequenceLength,
  };
  const stored = await deps.throughput.find(key);
  let throughput: { tokensPerSecond: number; source: string; measuredAt?: Date };
  if (stored)
    throughput = { tokensPerSecond: stored.tokensPerSecond, source: "stored", measuredAt: stored.measuredAt };
  else if (memory.totalBytes > availableBytes)
    throw new ValidationException(
      `The job would need about ${describeMemoryEstimate(memory)}, more than the ${(availableBytes / 2 ** 20).toFixed(0)} MiB free, so its speed cannot be measured; lower maxSequenceLength or loraRank, or use trainingMethod lora.`,
    );
  else {
    const tokensPerSecond = await measureTrainingThroughput({
      modelPath,
      training: data.training,
      mode: hyper.trainingMethod,
      loraRank: hyper.loraRank,
      loraAlpha: hyper.loraAlpha,
      sequenceLength: hyper.maxSequenceLength,
      learningRate: hyper.learningRate,
      threads: deps.trainerThreads,
    });
    await deps.throughput.record(key, tokensPerSecond);
    throughput = { tokensPerSecond, source: "measured", measuredAt: new Date() };
  }

  const perThousand = trainedTokens / 1000;
  return {
    baseModelId: base.baseModelId,
    customizationType,
    format: data.format,
    hyperParameters: parsed.effective,
    records: data.trainingReport.records,
    validationRecords: data.validationReports.reduce((sum, report) => sum + report.records, 0),
    rows: data.rows.length,
    tokens: data.tokens,
    trainedTokensPerEpoch: data.trainedTokensPerEpoch,
    epochs: hyper.epochCount,
    trainedTokens,
    processedTokens,
    stepsPerEpoch: plan.stepsPerEpoch,
    totalSteps: plan.totalSteps,
    throughput,
    estimatedSeconds: processedTokens / throughput.tokensPerSecond,
    memory: {
      totalBytes: memory.totalBytes,
      description: describeMemoryEstimate(memory),
      availableBytes,
      fits: memory.totalBytes <= availableBytes,
    },
    cost: {
      currency: "USD",
      localPricePer1kTokens: deps.localTrainingPricePer1kTokens,
      localCost: perThousand * deps.localTrainingPricePer1kTokens,
      bedrockEquivalents: bedrockTrainingPrices.map((price) => ({
        ...price,
        cost: perThousand * price.pricePer1kTokens,
      })),
    },
  };
}
