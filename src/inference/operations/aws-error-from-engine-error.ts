// An engine failure as the AWS error Bedrock would answer with. Before any byte of a response went out it is
// an ordinary HTTP error; once a stream has begun, a model failure travels as modelStreamErrorException, the
// stream's own exception for a model that broke off. Other errors pass through unchanged (an AbortError, an
// AwsError, or a bug the dispatcher logs as a 500).
import {
  ModelErrorException,
  ModelStreamErrorException,
  ValidationException,
} from "../../protocol/aws-errors.js";
import { EngineError } from "../engine/inference-engine.js";

export function awsErrorFromEngineError(error: unknown, modelId: string, streaming = false): unknown {
  if (!(error instanceof EngineError)) return error;
  switch (error.kind) {
    case "context-overflow":
      return new ValidationException(`Input is too long for requested model. ${error.message}`);
    case "unsupported":
      return new ValidationException(error.message);
    default:
      return streaming
        ? new ModelStreamErrorException(`The model ${modelId} failed while streaming.`, 500, error.message)
        : new ModelErrorException(error.message, 500, modelId);
  }
}
