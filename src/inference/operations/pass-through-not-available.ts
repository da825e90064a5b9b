// Bedrock models reached through pass-through (real AWS credentials configured) are forwarded whole, not run
// by the engine; that forwarding is built separately. Until then such a request is answered like any modelled
// operation Strata lacks: a well-formed 501, never a hang or a wrong answer.
import { AwsError } from "../../protocol/aws-errors.js";

export function passThroughNotAvailable(operationName: string, modelId: string): AwsError {
  return new AwsError(
    "NotImplementedException",
    501,
    `${operationName} on ${modelId} would be forwarded to Amazon Bedrock (pass-through), which Strata does not do yet. ` +
      "Serve the id with a local model through an alias, or call a local model.",
  );
}
