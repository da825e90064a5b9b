import { describe, expect, it } from "vitest";
import { parseHyperParameters } from "../hyperparameters/parse-hyperparameters.js";
import { epochOfStep, planTrainingSteps } from "./plan-training-steps.js";

const hyper = (values: Record<string, string>) => {
  const parsed = parseHyperParameters(values, 256);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.values;
};

describe("planTrainingSteps", () => {
  it("takes ceil(rows / batchSize) steps per epoch, validates once per epoch by default", () => {
    expect(planTrainingSteps(20, hyper({ batchSize: "8", epochCount: "3" }))).toEqual({
      stepsPerEpoch: 3,
      totalSteps: 9,
      validationEvery: 3,
      checkpointEvery: 1,
    });
  });

  it("checkpoints at a divisor of the evaluation interval", () => {
    const plan = planTrainingSteps(800, hyper({ batchSize: "1", epochCount: "1", evaluationInterval: "35" }));
    expect(plan).toMatchObject({ totalSteps: 800, validationEvery: 35 });
    expect(35 % plan.checkpointEvery).toBe(0);
    expect(plan.checkpointEvery).toBeLessThanOrEqual(80);
  });

  it("never plans zero steps and numbers epochs from 0", () => {
    expect(planTrainingSteps(0, hyper({ epochCount: "1" })).totalSteps).toBe(1);
    expect([1, 3, 4, 6, 7].map((step) => epochOfStep(step, 3))).toEqual([0, 0, 1, 1, 2]);
  });
});
