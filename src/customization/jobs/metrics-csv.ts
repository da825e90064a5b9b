// Bedrock's metrics files (bedrock-api.md §5.4), written under the job's output prefix:
//   model-customization-job-<id>/training_artifacts/step_wise_training_metrics.csv
//     step_number,epoch_number,training_loss,perplexity
//   model-customization-job-<id>/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv
//     step_number,epoch_number,validation_loss,perplexity
// step_number starts at 0, as Bedrock's does: the trainer's step n (1-based) is row n − 1.
// Strata's addition: the validation file's first row, step_number −1 (trainer step 0, before the first step),
// is the base model's loss on the validation data, so the file shows the loss before and after tuning.
import type { MetricPoint } from "./customization-metrics-store.js";

export const trainingMetricsFile = "training_artifacts/step_wise_training_metrics.csv";
export const validationMetricsFile =
  "validation_artifacts/post_fine_tuning_validation/validation_metrics.csv";

export function jobOutputPrefix(outputDataUri: string, jobId: string): string {
  return `${outputDataUri.replace(/\/+$/, "")}/model-customization-job-${jobId}/`;
}

export function metricsCsv(points: readonly MetricPoint[], kind: MetricPoint["kind"]): string {
  const header = `step_number,epoch_number,${kind === "training" ? "training_loss" : "validation_loss"},perplexity`;
  const rows = points
    .filter((point) => point.kind === kind)
    .map((point) => `${point.step - 1},${point.epoch},${point.loss},${point.perplexity}`);
  return `${[header, ...rows].join("\n")}\n`;
}
