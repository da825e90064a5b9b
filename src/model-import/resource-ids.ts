// Bedrock's 12-character resource ids ([a-z0-9]{12}) and the ARNs built from them.
import { randomBytes } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

export function newResourceId(): string {
  return Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join("");
}

export interface ArnContext {
  region: string;
  accountId: string;
}

export function modelImportJobArn(context: ArnContext, jobId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:model-import-job/${jobId}`;
}

export function importedModelArn(context: ArnContext, importedModelId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:imported-model/${importedModelId}`;
}

/** The id at the end of a resource ARN of the given type, in any region or account; undefined otherwise. */
export function resourceIdFromArn(identifier: string, resourceType: string): string | undefined {
  const match = new RegExp(
    `^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:\\d{12}:${resourceType}/([a-z0-9]{12})$`,
  ).exec(identifier);
  return match?.[2];
}

/** local.<name> for an imported model name: lower case, '_' → '-', as catalog ids allow. */
export function localModelIdFor(importedModelName: string): string {
  return `local.${importedModelName.toLowerCase().replaceAll("_", "-")}`;
}
