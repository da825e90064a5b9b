import { describe, expect, it } from "vitest";
import { LogisticRegression } from "./logistic-regression.js";
import { MultilayerPerceptron } from "./multilayer-perceptron.js";
import { accuracyOf, blobs, gradientError } from "./test-data.js";
import { trainClassifier } from "./train-classifier.js";

/** XOR: classes on opposite corners, which no line separates. */
const xorCentres = [
  [2, 2],
  [-2, -2],
  [2, -2],
  [-2, 2],
];
function xor(perCorner: number, seed: number) {
  const data = blobs(xorCentres, perCorner, 0.5, seed);
  return { rows: data.rows, labels: data.labels.map((label) => (label < 2 ? 0 : 1)) };
}

describe("MLP head", () => {
  it("has the gradient central finite differences measure (with L2)", () => {
    const data = blobs(
      [
        [1, 0, -1],
        [0, 2, 0],
        [-1, -1, 1],
      ],
      3,
      1,
      5,
    );
    const model = new MultilayerPerceptron(3, 5, 3, { seed: 2 });
    expect(gradientError(model, data, 0)).toBeLessThan(1e-5);
    expect(gradientError(model, data, 0.2)).toBeLessThan(1e-5);
  });

  it("learns XOR, which the linear head cannot", async () => {
    const training = xor(40, 1);
    const validation = xor(10, 2);
    const heldOut = xor(25, 3);
    const options = { maxEpochs: 150, batchSize: 16, learningRate: 0.02, l2: 0, patience: 0, seed: 1 };
    const mlp = new MultilayerPerceptron(2, 16, 2, { seed: 1 });
    const linear = new LogisticRegression(2, 2);
    await trainClassifier(mlp, training, validation, options);
    await trainClassifier(linear, training, validation, options);
    expect(accuracyOf(mlp, heldOut)).toBeGreaterThanOrEqual(0.97);
    expect(accuracyOf(linear, heldOut)).toBeLessThan(0.8);
  });

  it("starts from the same weights for the same seed, and from other weights for another", () => {
    const a = new MultilayerPerceptron(4, 3, 2, { seed: 7 }).parameters;
    const b = new MultilayerPerceptron(4, 3, 2, { seed: 7 }).parameters;
    const c = new MultilayerPerceptron(4, 3, 2, { seed: 8 }).parameters;
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});
