// Errors in OpenAI's shape: `{error: {message, type, param, code}}` with the HTTP status OpenAI uses, because
// the official clients pick their exception class (AuthenticationError, NotFoundError, …) from the status and
// show `message`. Everything the rest of Strata throws (AwsError, EngineError) is translated here, once.
import { EngineError } from "../inference/engine/inference-engine.js";
import { AwsError } from "../protocol/aws-errors.js";

export type OpenAiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error";

export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "OpenAiError";
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400 for a request the parsers refuse: names the offending parameter as OpenAI does. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null) {
  return new OpenAiError(400, message, "invalid_request_error", param, code);
}

export function modelNotFound(model: string, detail?: string): OpenAiError {
  return new OpenAiError(
    404,
    detail ?? `The model \`${model}\` does not exist or you do not have access to it.`,
    "invalid_request_error",
    "model",
    "model_not_found",
  );
}

// The AWS front door's authentication failures; OpenAI clients expect a 401 for all of them.
const authenticationErrorTypes = new Set([
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
]);

export function isUnexpectedError(error: unknown): boolean {
  return !(error instanceof OpenAiError || error instanceof AwsError || error instanceof EngineError);
}

/** Translates anything thrown while serving a request; unknown failures become a 500 that reveals nothing. */
export function toOpenAiError(error: unknown): OpenAiError {
  if (error instanceof OpenAiError) return error;
  if (error instanceof AwsError) return fromAwsError(error);
  if (error instanceof EngineError) return fromEngineError(error);
  return new OpenAiError(500, "The server had an error while processing your request.", "server_error");
}

function fromAwsError(error: AwsError): OpenAiError {
  if (authenticationErrorTypes.has(error.errorType)) {
    const message =
      error.errorType === "MissingAuthenticationTokenException"
        ? "You didn't provide an API key. Send your Strata API key as `Authorization: Bearer <key>`."
        : `Incorrect API key provided: ${error.message}`;
    return new OpenAiError(401, message, "invalid_request_error", null, "invalid_api_key");
  }
  switch (error.statusCode) {
    case 400:
      return invalidRequest(error.message);
    case 403:
      return new OpenAiError(403, error.message, "permission_error");
    case 404:
      return new OpenAiError(404, error.message, "invalid_request_error", null, "not_found");
    case 413:
      return new OpenAiError(413, error.message, "invalid_request_error", null, "request_too_large");
    case 429:
      return new OpenAiError(429, error.message, "rate_limit_error", null, "rate_limit_exceeded");
    default:
      return error.statusCode >= 500
        ? new OpenAiError(error.statusCode, error.message, "server_error")
        : new OpenAiError(error.statusCode, error.message, "invalid_request_error");
  }
}

function fromEngineError(error: EngineError): OpenAiError {
  switch (error.kind) {
    case "context-overflow":
      return invalidRequest(error.message, null, "context_length_exceeded");
    case "unsupported":
      return invalidRequest(error.message);
    case "model-load":
      return new OpenAiError(500, `The model could not be loaded: ${error.message}`, "server_error");
    case "internal":
      return new OpenAiError(500, error.message, "server_error");
  }
}
