// Evaluation job ARNs: arn:aws:bedrock:<region>:<account>:evaluation-job/<12-character id>. GetEvaluationJob and
// StopEvaluationJob take the ARN only (their jobIdentifier pattern), as in Bedrock.
import { type ArnContext, resourceIdFromArn } from "../model-import/resource-ids.js";

export function evaluationJobArn(context: ArnContext, jobId: string): string {
  return `arn:aws:bedrock:${context.region}:${context.accountId}:evaluation-job/${jobId}`;
}

export function evaluationJobIdFromArn(identifier: string): string | undefined {
  return resourceIdFromArn(identifier, "evaluation-job");
}
