import { describe, expect, it } from "vitest";
import { LogisticRegression } from "./logistic-regression.js";
import { seededNormal } from "./seeded-random.js";
import { accuracyOf, blobs, gradientError } from "./test-data.js";
import { trainClassifier } from "./train-classifier.js";

describe("multinomial logistic regression", () => {
  it("has the gradient central finite differences measure (dense rows, L2 on the weights only)", () => {
    const data = blobs(
      [
        [1, 0, -1],
        [0, 2, 0],
        [-1, -1, 1],
      ],
      4,
      1,
      3,
    );
    const model = new LogisticRegression(3, 3);
    const normal = seededNormal(9);
    for (let i = 0; i < model.parameters.length; i++) model.parameters[i] = normal();
    expect(gradientError(model, data, 0)).toBeLessThan(1e-6);
    expect(gradientError(model, data, 0.3)).toBeLessThan(1e-6);
  });

  it("has the same gradient on sparse rows as on the equivalent dense rows", () => {
    const dense = new LogisticRegression(5, 2);
    const sparse = new LogisticRegression(5, 2);
    const normal = seededNormal(4);
    for (let i = 0; i < dense.parameters.length; i++) dense.parameters[i] = sparse.parameters[i] = normal();
    const rows = [{ values: Float64Array.of(0, 0.5, 0, 0, 2) }, { values: Float64Array.of(1, 0, 0, -1, 0) }];
    const sparseRows = [
      { indices: Int32Array.of(1, 4), values: Float64Array.of(0.5, 2) },
      { indices: Int32Array.of(0, 3), values: Float64Array.of(1, -1) },
    ];
    const denseGradient = new Float64Array(dense.parameters.length);
    const sparseGradient = new Float64Array(sparse.parameters.length);
    const denseLoss = dense.lossAndGradient(rows, [0, 1], 0.1, denseGradient);
    const sparseLoss = sparse.lossAndGradient(sparseRows, [0, 1], 0.1, sparseGradient);
    expect(sparseLoss).toBeCloseTo(denseLoss, 12);
    for (let i = 0; i < denseGradient.length; i++)
      expect(sparseGradient[i]).toBeCloseTo(denseGradient[i] ?? 0, 12);
    expect(gradientError(sparse, { rows: sparseRows, labels: [0, 1] }, 0.1)).toBeLessThan(1e-6);
  });

  it("separates linearly separable classes completely, on training and on held-out points", async () => {
    const centres = [
      [4, 0],
      [-4, 0],
      [0, 4],
    ];
    const training = blobs(centres, 40, 0.8, 1);
    const validation = blobs(centres, 10, 0.8, 2);
    const heldOut = blobs(centres, 30, 0.8, 3);
    const model = new LogisticRegression(2, 3);
    const before = accuracyOf(model, heldOut);
    await trainClassifier(model, training, validation, {
      maxEpochs: 100,
      batchSize: 16,
      learningRate: 0.05,
      l2: 0,
      patience: 0,
      seed: 1,
    });
    expect(before).toBeLessThan(0.5);
    expect(accuracyOf(model, training)).toBe(1);
    expect(accuracyOf(model, heldOut)).toBe(1);
  });
});
