// Multinomial logistic regression: logits = W·x + b, softmax over the classes. Parameters: W (classes × features,
// row-major), then b. The gradient of the mean cross-entropy with respect to logit c is p_c − [c = label].
import type { ClassifierModel } from "./classifier-model.js";
import { addScaledRow, dotRow, type FeatureRow } from "./feature-row.js";
import { crossEntropy, softmaxInPlace } from "./softmax.js";

export class LogisticRegression implements ClassifierModel {
  readonly parameters: Float64Array;

  constructor(
    readonly featureCount: number,
    readonly classCount: number,
    parameters?: Float64Array,
  ) {
    const size = classCount * featureCount + classCount;
    if (parameters && parameters.length !== size)
      throw new Error(
        `logistic regression ${classCount}×${featureCount} needs ${size} parameters, got ${parameters.length}`,
      );
    // Zero weights are a fine start: the loss is convex, and there is no symmetry to break.
    this.parameters = parameters ?? new Float64Array(size);
  }

  private logits(row: FeatureRow): Float64Array {
    const { featureCount, classCount, parameters } = this;
    const biases = classCount * featureCount;
    const logits = new Float64Array(classCount);
    for (let c = 0; c < classCount; c++)
      logits[c] = dotRow(parameters, c * featureCount, row) + (parameters[biases + c] ?? 0);
    return logits;
  }

  probabilities(row: FeatureRow): Float64Array {
    return softmaxInPlace(this.logits(row));
  }

  lossAndGradient(
    rows: readonly FeatureRow[],
    labels: readonly number[],
    l2: number,
    gradient: Float64Array,
  ): number {
    const { featureCount, classCount, parameters } = this;
    const biases = classCount * featureCount;
    gradient.fill(0);
    let loss = 0;
    const scale = 1 / rows.length;
    for (const [index, row] of rows.entries()) {
      const label = labels[index] ?? 0;
      const probabilities = this.probabilities(row);
      loss += crossEntropy(probabilities, label) * scale;
      for (let c = 0; c < classCount; c++) {
        const delta = ((probabilities[c] ?? 0) - (c === label ? 1 : 0)) * scale;
        addScaledRow(gradient, c * featureCount, row, delta);
        gradient[biases + c] = (gradient[biases + c] ?? 0) + delta;
      }
    }
    for (let i = 0; i < biases; i++) {
      const weight = parameters[i] ?? 0;
      loss += 0.5 * l2 * weight * weight;
      gradient[i] = (gradient[i] ?? 0) + l2 * weight;
    }
    return loss;
  }
}
