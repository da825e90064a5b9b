// The heads of a transfer-learning job on the frozen base model's embeddings: standardized with the training
// vectors' statistics, then a multinomial logistic regression, a small MLP, or both (headType auto). Each stops
// early on the validation loss; the head with the lower validation loss is the one the custom model serves.
import type { ClassificationHead, HeadType } from "../classifier/classification-head.js";
import { headFormat } from "../classifier/classification-head.js";
import type { ClassifierModel } from "../classifier/classifier-model.js";
import { LogisticRegression } from "../classifier/logistic-regression.js";
import { MultilayerPerceptron } from "../classifier/multilayer-perceptron.js";
import { fitStandardization, standardize } from "../classifier/standardization.js";
import { type EpochResult, type LabeledRows, trainClassifier } from "../classifier/train-classifier.js";
import type { TransferLearningHyperParameters } from "./transfer-learning-hyperparameters.js";
import type { HeadTrainingSummary } from "./transfer-learning-job-store.js";

export interface LabeledVectors {
  vectors: readonly (readonly number[])[];
  /** Class index of each vector. */
  labels: readonly number[];
}

export interface TrainedHead {
  head: ClassificationHead;
  model: ClassifierModel;
  summary: HeadTrainingSummary;
}

export async function trainHeads(request: {
  labels: readonly string[];
  baseModelId: string;
  training: LabeledVectors;
  validation: LabeledVectors;
  hyperParameters: TransferLearningHyperParameters;
  signal: AbortSignal;
  onEpoch(headType: HeadType, epoch: EpochResult): Promise<void>;
}): Promise<TrainedHead[]> {
  const { hyperParameters: hyper, labels } = request;
  const standardization = fitStandardization(request.training.vectors);
  const rowsOf = (data: LabeledVectors): LabeledRows => ({
    rows: data.vectors.map((vector) => ({ values: standardize(vector, standardization) })),
    labels: data.labels,
  });
  const training = rowsOf(request.training);
  const validation = rowsOf(request.validation);
  const dimensions = standardization.mean.length;
  const headTypes: HeadType[] = hyper.headType === "auto" ? ["logistic-regression", "mlp"] : [hyper.headType];
  const trained: TrainedHead[] = [];
  for (const headType of headTypes) {
    const model =
      headType === "mlp"
        ? new MultilayerPerceptron(dimensions, hyper.hiddenUnits, labels.length, { seed: hyper.seed })
        : new LogisticRegression(dimensions, labels.length);
    const result = await trainClassifier(model, training, validation, {
      maxEpochs: hyper.epochCount,
      batchSize: hyper.batchSize,
      learningRate: hyper.learningRate,
      l2: hyper.l2Regularization,
      patience: hyper.earlyStoppingPatience,
      seed: hyper.seed,
      signal: request.signal,
      onEpoch: (epoch) => request.onEpoch(headType, epoch),
    });
    trained.push({
      model,
      head: {
        format: headFormat,
        version: 1,
        headType,
        labels: [...labels],
        ...(headType === "mlp" ? { hiddenUnits: hyper.hiddenUnits } : {}),
        features: {
          baseModelId: request.baseModelId,
          pooling: "mean",
          dimensions,
          maxInputTokens: hyper.maxInputTokens,
        },
        standardization,
        parameters: [...model.parameters],
      },
      summary: {
        headType,
        epochs: result.epochs.length,
        bestEpoch: result.bestEpoch,
        bestValidationLoss: result.bestValidationLoss,
        stoppedEarly: result.stoppedEarly,
        selected: false,
      },
    });
  }
  const best = trained.reduce((a, b) =>
    b.summary.bestValidationLoss < a.summary.bestValidationLoss ? b : a,
  );
  best.summary.selected = true;
  return trained;
}
