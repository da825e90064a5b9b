// Trains a head, top to bottom: each epoch visits the training rows in a seeded order in mini-batches (Adam),
// then measures the mean cross-entropy on the validation rows; training stops after `patience` epochs without
// a better validation loss, and the head keeps the parameters of its best epoch. Same seed, same data → the
// same parameters, bit for bit. The loop yields to the event loop between batches: it runs inside the server.
import type { ClassifierModel } from "./classifier-model.js";
import type { FeatureRow } from "./feature-row.js";
import { seededShuffle } from "./seeded-random.js";
import { crossEntropy } from "./softmax.js";

export interface LabeledRows {
  rows: readonly FeatureRow[];
  /** Class index of each row. */
  labels: readonly number[];
}

export interface ClassifierTrainingOptions {
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  /** Epochs in a row without a better validation loss before training stops; 0 never stops early. */
  patience: number;
  seed: number;
  onEpoch?: (epoch: EpochResult) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface EpochResult {
  /** 1-based. */
  epoch: number;
  /** Mean of the batches' losses (with the L2 term) during the epoch. */
  trainingLoss: number;
  /** Mean cross-entropy on the validation rows after the epoch (no L2 term). */
  validationLoss: number;
}

export interface ClassifierTrainingResult {
  epochs: EpochResult[];
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
}

const adam = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export async function trainClassifier(
  model: ClassifierModel,
  training: LabeledRows,
  validation: LabeledRows,
  options: ClassifierTrainingOptions,
): Promise<ClassifierTrainingResult> {
  const { parameters } = model;
  // Without validation rows, the training rows themselves decide when to stop (and which epoch is kept).
  const monitored = validation.rows.length > 0 ? validation : training;
  const gradient = new Float64Array(parameters.length);
  const firstMoment = new Float64Array(parameters.length);
  const secondMoment = new Float64Array(parameters.length);
  let best = { epoch: 0, loss: meanCrossEntropy(model, monitored), parameters: parameters.slice() };
  const epochs: EpochResult[] = [];
  let step = 0;
  let yieldedAt = performance.now();
  const order = training.rows.map((_, index) => index);

  for (let epoch = 1; epoch <= options.maxEpochs; epoch++) {
    const shuffled = seededShuffle(order, options.seed * 1000 + epoch);
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start < shuffled.length; start += options.batchSize) {
      const batch = shuffled.slice(start, start + options.batchSize);
      const rows = batch.map((index) => training.rows[index] as FeatureRow);
      const labels = batch.map((index) => training.labels[index] ?? 0);
      lossSum += model.lossAndGradient(rows, labels, options.l2, gradient);
      batches++;
      step++;
      const correction1 = 1 - adam.beta1 ** step;
      const correction2 = 1 - adam.beta2 ** step;
      for (let i = 0; i < parameters.length; i++) {
        const g = gradient[i] ?? 0;
        const m = adam.beta1 * (firstMoment[i] ?? 0) + (1 - adam.beta1) * g;
        const v = adam.beta2 * (secondMoment[i] ?? 0) + (1 - adam.beta2) * g * g;
        firstMoment[i] = m;
        secondMoment[i] = v;
        parameters[i] =
          (parameters[i] ?? 0) -
          (options.learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + adam.epsilon);
      }
      if (performance.now() - yieldedAt > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        yieldedAt = performance.now();
        options.signal?.throwIfAborted();
      }
    }
    const result = {
      epoch,
      trainingLoss: lossSum / Math.max(batches, 1),
      validationLoss: meanCrossEntropy(model, monitored),
    };
    epochs.push(result);
    await options.onEpoch?.(result);
    if (result.validationLoss < best.loss)
      best = { epoch, loss: result.validationLoss, parameters: parameters.slice() };
    else if (options.patience > 0 && epoch - best.epoch >= options.patience) break;
  }
  parameters.set(best.parameters);
  const last = epochs.at(-1)?.epoch ?? 0;
  return {
    epochs,
    bestEpoch: best.epoch,
    bestValidationLoss: best.loss,
    stoppedEarly: last < options.maxEpochs,
  };
}

export function meanCrossEntropy(model: ClassifierModel, data: LabeledRows): number {
  if (data.rows.length === 0) return 0;
  let sum = 0;
  for (const [index, row] of data.rows.entries())
    sum += crossEntropy(model.probabilities(row), data.labels[index] ?? 0);
  return sum / data.rows.length;
}
