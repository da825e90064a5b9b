import { describe, expect, it } from "vitest";
import { jobOutputPrefix, metricsCsv } from "./metrics-csv.js";

describe("Bedrock's metrics CSVs", () => {
  const points = [
    { kind: "training" as const, step: 1, epoch: 0, loss: 2, perplexity: Math.exp(2), learningRate: 1e-4 },
    { kind: "training" as const, step: 2, epoch: 1, loss: 1.5, perplexity: Math.exp(1.5) },
    { kind: "validation" as const, step: 2, epoch: 1, loss: 1.75, perplexity: Math.exp(1.75) },
  ];

  it("numbers steps from 0 and keeps each kind in its own file", () => {
    expect(metricsCsv(points, "training")).toBe(
      `step_number,epoch_number,training_loss,perplexity\n0,0,2,${Math.exp(2)}\n1,1,1.5,${Math.exp(1.5)}\n`,
    );
    expect(metricsCsv(points, "validation")).toBe(
      `step_number,epoch_number,validation_loss,perplexity\n1,1,1.75,${Math.exp(1.75)}\n`,
    );
    expect(metricsCsv([], "validation")).toBe("step_number,epoch_number,validation_loss,perplexity\n");
  });

  it("writes the base model's loss (validation before the first step, trainer step 0) as step_number -1", () => {
    const before = { kind: "validation" as const, step: 0, epoch: 0, loss: 3, perplexity: Math.exp(3) };
    expect(metricsCsv([before, ...points], "validation")).toBe(
      `step_number,epoch_number,validation_loss,perplexity\n-1,0,3,${Math.exp(3)}\n1,1,1.75,${Math.exp(1.75)}\n`,
    );
  });

  it("puts a job's files under model-customization-job-<id>/ of the output prefix", () => {
    expect(jobOutputPrefix("s3://b/out/", "abc123def456")).toBe(
      "s3://b/out/model-customization-job-abc123def456/",
    );
    expect(jobOutputPrefix("s3://b/out", "abc123def456")).toBe(
      "s3://b/out/model-customization-job-abc123def456/",
    );
  });
});
