// Held-out evaluation of a transfer-learning job, all in the same run: every head trained, the bag-of-words
// baseline and the zero-shot baseline (label likelihood under the base model) on the same test records —
// accuracy, macro-F1, per-class figures and a confusion matrix each.
import type { EngineModel, InferenceEngine, ScoringEngine } from "../../inference/engine/inference-engine.js";
import { classifyEmbedding } from "../classifier/classification-head.js";
import type { LabeledRecord } from "../datasets/labeled-dataset.js";
import type { TrainedHead } from "../jobs/train-heads.js";
import type { TransferLearningHyperParameters } from "../jobs/transfer-learning-hyperparameters.js";
import type { TransferLearningEvaluation } from "../jobs/transfer-learning-job-store.js";
import { bagOfWordsPredictions } from "./bag-of-words-baseline.js";
import { classificationReport } from "./classification-metrics.js";
import { zeroShotMethod, zeroShotPrompt } from "./zero-shot.js";
import { zeroShotPredictions } from "./zero-shot-baseline.js";

export async function evaluateOnTestSet(request: {
  labels: readonly string[];
  testDataUri: string;
  test: readonly LabeledRecord[];
  testVectors: readonly (readonly number[])[];
  heads: readonly TrainedHead[];
  training: readonly LabeledRecord[];
  validation: readonly LabeledRecord[];
  hyperParameters: TransferLearningHyperParameters;
  engine: InferenceEngine & ScoringEngine;
  baseModel: EngineModel;
  signal: AbortSignal;
}): Promise<TransferLearningEvaluation> {
  const { labels, test, hyperParameters: hyper } = request;
  const truth = test.map((record) => record.label);
  const heads = request.heads.map(({ head, model, summary }) => ({
    ...classificationReport(
      labels,
      truth,
      request.testVectors.map((vector) => classifyEmbedding(head, model, vector).label),
    ),
    headType: head.headType,
    selected: summary.selected,
  }));
  const bagOfWords = await bagOfWordsPredictions({
    labels,
    training: request.training,
    validation: request.validation,
    test,
    schedule: {
      maxEpochs: hyper.epochCount,
      batchSize: hyper.batchSize,
      patience: hyper.earlyStoppingPatience,
      seed: hyper.seed,
    },
    signal: request.signal,
  });
  const zeroShot = await zeroShotPredictions({
    engine: request.engine,
    model: request.baseModel,
    labels,
    texts: test.map((record) => record.text),
    maxInputTokens: hyper.maxInputTokens,
    signal: request.signal,
  });
  return {
    testDataUri: request.testDataUri,
    records: test.length,
    heads,
    bagOfWords: {
      ...classificationReport(labels, truth, bagOfWords.predicted),
      vocabularySize: bagOfWords.vocabularySize,
    },
    zeroShot: {
      ...classificationReport(labels, truth, zeroShot.predicted),
      method: zeroShotMethod,
      prompt: zeroShotPrompt(labels, "{text}"),
      sampleNegativeLogLikelihoods: zeroShot.negativeLogLikelihoods.slice(0, 3),
    },
  };
}
