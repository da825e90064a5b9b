// The error event of a stream that failed after its 200 was sent. Unexpected failures are logged here, since
// they never reach the handler's catch.
import { describeError } from "../logging/logger.js";
import { isUnexpectedError, toOpenAiError } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";

export function streamErrorBody(context: OpenAiRequestContext, error: unknown): unknown {
  if (isUnexpectedError(error) && !context.request.signal.aborted) {
    context.logger.error("unexpected error in an OpenAI stream", {
      requestId: context.request.requestId,
      ...describeError(error),
    });
  }
  return toOpenAiError(error).toBody();
}
