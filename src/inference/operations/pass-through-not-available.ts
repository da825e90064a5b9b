// The resolver only answers "pass-through" when AWS credentials are configured, and then the runtime always
// has a pass-through client: this error guards that invariant with a well-formed 501 instead of a crash.
import { AwsError } from "../../protocol/aws-errors.js";

export function passThroughNotAvailable(operationName: string, modelId: string): AwsError {
  return new AwsError(
    "NotImplementedException",
    501,
    `${operationName} on ${modelId} needs pass-through to Amazon Bedrock, but no pass-through client is configured. ` +
      "Set STRATA_BEDROCK_ACCESS_KEY_ID and STRATA_BEDROCK_SECRET_ACCESS_KEY, or serve the id with a local model through an alias.",
  );
}
