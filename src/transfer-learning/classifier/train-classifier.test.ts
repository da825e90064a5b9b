import { describe, expect, it } from "vitest";
import { LogisticRegression } from "./logistic-regression.js";
import { MultilayerPerceptron } from "./multilayer-perceptron.js";
import { seededNormal } from "./seeded-random.js";
import { blobs } from "./test-data.js";
import { meanCrossEntropy, trainClassifier } from "./train-classifier.js";

const options = { maxEpochs: 30, batchSize: 8, learningRate: 0.01, l2: 1e-4, patience: 0, seed: 3 };

/** Few points, many noise dimensions, overlapping classes: a flexible head overfits and validation loss rises. */
function noisy(count: number, seed: number) {
  const normal = seededNormal(seed);
  const rows = [];
  const labels = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    rows.push({
      values: Float64Array.from({ length: 30 }, (_, d) => normal() + (d === 0 ? (label ? 0.3 : -0.3) : 0)),
    });
    labels.push(label);
  }
  return { rows, labels };
}

describe("trainClassifier", () => {
  it("is deterministic: the same seed and data give the same parameters, bit for bit", async () => {
    const training = blobs(
      [
        [1, 1],
        [-1, -1],
      ],
      20,
      1,
      1,
    );
    const validation = blobs(
      [
        [1, 1],
        [-1, -1],
      ],
      5,
      1,
      2,
    );
    const first = new MultilayerPerceptron(2, 8, 2, { seed: 1 });
    const second = new MultilayerPerceptron(2, 8, 2, { seed: 1 });
    const third = new MultilayerPerceptron(2, 8, 2, { seed: 1 });
    await trainClassifier(first, training, validation, options);
    await trainClassifier(second, training, validation, options);
    await trainClassifier(third, training, validation, { ...options, seed: 4 });
    expect([...first.parameters]).toEqual([...second.parameters]);
    expect([...first.parameters]).not.toEqual([...third.parameters]);
  });

  it("stops when validation loss has not improved for `patience` epochs and keeps the best epoch", async () => {
    const training = noisy(24, 1);
    const validation = noisy(40, 2);
    const model = new MultilayerPerceptron(30, 32, 2, { seed: 1 });
    const seen: number[] = [];
    const result = await trainClassifier(model, training, validation, {
      ...options,
      maxEpochs: 300,
      learningRate: 0.01,
      l2: 0,
      patience: 5,
      onEpoch: (epoch) => {
        seen.push(epoch.validationLoss);
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs.length).toBe(result.bestEpoch + 5);
    expect(seen).toHaveLength(result.epochs.length);
    expect(result.bestValidationLoss).toBe(Math.min(...seen));
    // The parameters kept are the best epoch's: their validation loss is the best one, not the last one.
    expect(meanCrossEntropy(model, validation)).toBeCloseTo(result.bestValidationLoss, 12);
    expect(seen.at(-1)).toBeGreaterThan(result.bestValidationLoss);
  });

  it("lowers the validation loss of a linear head on learnable data", async () => {
    const training = blobs(
      [
        [2, 0],
        [-2, 0],
      ],
      30,
      1,
      5,
    );
    const validation = blobs(
      [
        [2, 0],
        [-2, 0],
      ],
      10,
      1,
      6,
    );
    const model = new LogisticRegression(2, 2);
    const before = meanCrossEntropy(model, validation);
    const result = await trainClassifier(model, training, validation, options);
    expect(before).toBeCloseTo(Math.log(2), 12);
    expect(result.bestValidationLoss).toBeLessThan(0.2);
  });
});
