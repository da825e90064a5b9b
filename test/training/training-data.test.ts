// Pure pieces of a training run: the learning-rate schedule, the seeded order, packing and the data cursor.
import { describe, expect, it } from "vitest";
import { packExamples } from "../../src/training/data/pack-examples.js";
import { epochOrder, takeRows } from "../../src/training/data/row-order.js";
import { seededShuffle } from "../../src/training/data/seeded-shuffle.js";
import { learningRateAt } from "../../src/training/learning-rate-schedule.js";

describe("learning-rate schedule", () => {
  const base = { learningRate: 1e-3, minimumLearningRate: 1e-4, warmupSteps: 4, steps: 14 };
  it("warms up linearly, then decays by cosine to the minimum at the last step", () => {
    const rates = Array.from({ length: 14 }, (_, step) => learningRateAt(step, { ...base, decay: "cosine" }));
    expect(rates.slice(0, 4)).toEqual([2.5e-4, 5e-4, 7.5e-4, 1e-3]);
    expect(rates[4]).toBeCloseTo(1e-3, 12);
    expect(rates[13]).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(8.5, { ...base, decay: "cosine" })).toBeCloseTo(5.5e-4, 12); // halfway
    for (let i = 4; i < 13; i++) expect(rates[i + 1] ?? 0).toBeLessThan(rates[i] ?? 0);
  });
  it("linear decay and constant", () => {
    expect(learningRateAt(4, { ...base, decay: "linear" })).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(13, { ...base, decay: "linear" })).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(8.5, { ...base, decay: "linear" })).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(10, { ...base, decay: "constant" })).toBe(1e-3);
    expect(learningRateAt(0, { ...base, warmupSteps: 0, decay: "cosine" })).toBe(1e-3);
  });
});

describe("seeded shuffle", () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  it("is a permutation, the same for the same seed, different for another", () => {
    const a = seededShuffle(items, 42);
    expect(seededShuffle(items, 42)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).not.toEqual(items);
    expect(seededShuffle(items, 43)).not.toEqual(a);
    // Pinned: the order must not change between versions, or resumed runs would diverge.
    expect(seededShuffle([0, 1, 2, 3, 4, 5, 6, 7], 1)).toMatchInlineSnapshot(`
      [
        6,
        5,
        7,
        1,
        2,
        3,
        0,
        4,
      ]
    `);
  });
  it("each epoch has its own order; the cursor crosses epochs", () => {
    expect(epochOrder(10, 7, 0)).not.toEqual(epochOrder(10, 7, 1));
    const rows = packExamples(
      Array.from({ length: 3 }, (_, i) => ({ tokens: [i, i + 1, i + 2], trained: [false, true, true] })),
      2,
    );
    expect(rows).toHaveLength(3); // two predictions per example, rows of two
    const first = takeRows(rows, { epoch: 0, position: 0 }, 4, 7);
    expect(first.next).toEqual({ epoch: 1, position: 1 });
  });
});

describe("packing", () => {
  it("keeps documents apart with ids, masks the untrained targets and splits long documents", () => {
    const rows = packExamples(
      [
        { tokens: [10, 11, 12], trained: [false, false, true] },
        { tokens: [20, 21, 22, 23, 24, 25], trained: [false, true, true, true, true, true] },
      ],
      4,
    );
    expect(rows).toEqual([
      {
        tokens: [10, 11, 20, 21],
        targets: [11, 12, 21, 22],
        lossMask: [0, 1, 1, 1],
        documentIds: [0, 0, 1, 1],
      },
      { tokens: [22, 23, 24], targets: [23, 24, 25], lossMask: [1, 1, 1], documentIds: [0, 0, 0] },
    ]);
  });
});
