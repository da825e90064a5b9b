// Provisioned-model ARNs (bedrock-api.md §1.6): arn:aws:bedrock:{region}:{account}:provisioned-model/{id12}.
import { type ArnContext, resourceIdFromArn } from "../model-import/resource-ids.js";

export function provisionedModelArn(context: ArnContext, provisionedModelId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:provisioned-model/${provisionedModelId}`;
}

/** The 12-character id of a provisioned-model ARN (any region or account); undefined for anything else. */
export function idFromProvisionedModelArn(identifier: string): string | undefined {
  return resourceIdFromArn(identifier, "provisioned-model");
}

/** Provisioned throughput names: ([0-9a-zA-Z][_-]?)+, 1–63 characters (no dots, so never a catalog id). */
export function looksLikeProvisionedModelName(identifier: string): boolean {
  return identifier.length <= 63 && /^([0-9a-zA-Z][_-]?)+$/.test(identifier);
}
