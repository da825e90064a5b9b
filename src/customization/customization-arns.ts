// ARNs of customization jobs and custom models (bedrock-api.md §1.6): both embed the base model id before the
// 12-character id, e.g. arn:aws:bedrock:us-east-1:000000000000:custom-model/local.tiny/ly16hhi765j4.
import type { ArnContext } from "../model-import/resource-ids.js";

export function customizationJobArn(context: ArnContext, baseModelId: string, jobId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:model-customization-job/${baseModelId}/${jobId}`;
}

export function customModelArn(context: ArnContext, baseModelId: string, customModelId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:custom-model/${baseModelId}/${customModelId}`;
}

/** The 12-character id at the end of a job or custom-model ARN (any region or account); undefined otherwise. */
export function idFromCustomizationArn(
  identifier: string,
  resourceType: "model-customization-job" | "custom-model",
): string | undefined {
  const match = new RegExp(
    `^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:\\d{12}:${resourceType}/[^/]+/([a-z0-9]{12})$`,
  ).exec(identifier);
  return match?.[2];
}
