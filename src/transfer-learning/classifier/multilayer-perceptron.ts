// A small MLP head: features → hidden units (ReLU) → class logits → softmax. Parameters, in order: W1 (hidden ×
// features, row-major), b1, W2 (classes × hidden), b2. He-initialised from the seed, so a seed gives one network.
import type { ClassifierModel } from "./classifier-model.js";
import { addScaledRow, dotRow, type FeatureRow } from "./feature-row.js";
import { seededNormal } from "./seeded-random.js";
import { crossEntropy, softmaxInPlace } from "./softmax.js";

export class MultilayerPerceptron implements ClassifierModel {
  readonly parameters: Float64Array;
  private readonly offsets: { b1: number; w2: number; b2: number };

  constructor(
    readonly featureCount: number,
    readonly hiddenUnits: number,
    readonly classCount: number,
    init: { seed: number } | { parameters: Float64Array },
  ) {
    const w1 = hiddenUnits * featureCount;
    this.offsets = { b1: w1, w2: w1 + hiddenUnits, b2: w1 + hiddenUnits + classCount * hiddenUnits };
    const size = this.offsets.b2 + classCount;
    if ("parameters" in init) {
      if (init.parameters.length !== size)
        throw new Error(
          `MLP ${featureCount}→${hiddenUnits}→${classCount} needs ${size} parameters, got ${init.parameters.length}`,
        );
      this.parameters = init.parameters;
      return;
    }
    this.parameters = new Float64Array(size);
    const normal = seededNormal(init.seed);
    const firstScale = Math.sqrt(2 / featureCount);
    for (let i = 0; i < w1; i++) this.parameters[i] = normal() * firstScale;
    const secondScale = Math.sqrt(2 / hiddenUnits);
    for (let i = this.offsets.w2; i < this.offsets.b2; i++) this.parameters[i] = normal() * secondScale;
  }

  /** Pre-activations of the hidden layer, its ReLU outputs, and the class probabilities. */
  private forward(row: FeatureRow): { hidden: Float64Array; probabilities: Float64Array } {
    const { featureCount, hiddenUnits, classCount, parameters, offsets } = this;
    const hidden = new Float64Array(hiddenUnits);
    for (let h = 0; h < hiddenUnits; h++)
      hidden[h] = Math.max(0, dotRow(parameters, h * featureCount, row) + (parameters[offsets.b1 + h] ?? 0));
    const logits = new Float64Array(classCount);
    for (let c = 0; c < classCount; c++) {
      let sum = parameters[offsets.b2 + c] ?? 0;
      const base = offsets.w2 + c * hiddenUnits;
      for (let h = 0; h < hiddenUnits; h++) sum += (parameters[base + h] ?? 0) * (hidden[h] ?? 0);
      logits[c] = sum;
    }
    return { hidden, probabilities: softmaxInPlace(logits) };
  }

  probabilities(row: FeatureRow): Float64Array {
    return this.forward(row).probabilities;
  }

  lossAndGradient(
    rows: readonly FeatureRow[],
    labels: readonly number[],
    l2: number,
    gradient: Float64Array,
  ): number {
    const { featureCount, hiddenUnits, classCount, parameters, offsets } = this;
    gradient.fill(0);
    let loss = 0;
    const scale = 1 / rows.length;
    const hiddenGradient = new Float64Array(hiddenUnits);
    for (const [index, row] of rows.entries()) {
      const label = labels[index] ?? 0;
      const { hidden, probabilities } = this.forward(row);
      loss += crossEntropy(probabilities, label) * scale;
      hiddenGradient.fill(0);
      for (let c = 0; c < classCount; c++) {
        const delta = ((probabilities[c] ?? 0) - (c === label ? 1 : 0)) * scale;
        const base = offsets.w2 + c * hiddenUnits;
        for (let h = 0; h < hiddenUnits; h++) {
          gradient[base + h] = (gradient[base + h] ?? 0) + delta * (hidden[h] ?? 0);
          hiddenGradient[h] = (hiddenGradient[h] ?? 0) + delta * (parameters[base + h] ?? 0);
        }
        gradient[offsets.b2 + c] = (gradient[offsets.b2 + c] ?? 0) + delta;
      }
      for (let h = 0; h < hiddenUnits; h++) {
        // ReLU passes the gradient only where the unit was active.
        if ((hidden[h] ?? 0) <= 0) continue;
        const delta = hiddenGradient[h] ?? 0;
        addScaledRow(gradient, h * featureCount, row, delta);
        gradient[offsets.b1 + h] = (gradient[offsets.b1 + h] ?? 0) + delta;
      }
    }
    const penalise = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const weight = parameters[i] ?? 0;
        loss += 0.5 * l2 * weight * weight;
        gradient[i] = (gradient[i] ?? 0) + l2 * weight;
      }
    };
    penalise(0, offsets.b1);
    penalise(offsets.w2, offsets.b2);
    return loss;
  }
}
