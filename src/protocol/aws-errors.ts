// One error hierarchy, mapped one-to-one onto the AWS error types the SDKs recognise (bedrock-api.md §1.4).
// Operations and domain services throw these; the dispatcher turns them into status + x-amzn-ErrorType + JSON.
// Anything else that escapes becomes a logged 500 InternalServerException.

export class AwsError extends Error {
  readonly errorType: string;
  readonly statusCode: number;
  /** Modelled extra members (e.g. originalStatusCode) serialised next to `message`. */
  readonly extraMembers: Record<string, unknown>;
  /** Errors the SDK may retry (5xx, throttling) — used by logs and by the stream writer. */
  readonly fault: "client" | "server";

  constructor(
    errorType: string,
    statusCode: number,
    message: string,
    extraMembers: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
    this.statusCode = statusCode;
    this.extraMembers = extraMembers;
    this.fault = statusCode >= 500 ? "server" : "client";
  }
}

export class ValidationException extends AwsError {
  constructor(message: string) {
    super("ValidationException", 400, message);
  }
}

export class ConflictException extends AwsError {
  constructor(message: string) {
    super("ConflictException", 400, message);
  }
}

export class ServiceQuotaExceededException extends AwsError {
  constructor(message: string) {
    super("ServiceQuotaExceededException", 400, message);
  }
}

export class ResourceInUseException extends AwsError {
  constructor(message: string) {
    super("ResourceInUseException", 400, message);
  }
}

export class AccessDeniedException extends AwsError {
  constructor(message: string) {
    super("AccessDeniedException", 403, message);
  }
}

export class ResourceNotFoundException extends AwsError {
  constructor(message: string) {
    super("ResourceNotFoundException", 404, message);
  }
}

export class ModelTimeoutException extends AwsError {
  constructor(message: string) {
    super("ModelTimeoutException", 408, message);
  }
}

export class ModelErrorException extends AwsError {
  constructor(message: string, originalStatusCode?: number, resourceName?: string) {
    super("ModelErrorException", 424, message, { originalStatusCode, resourceName });
  }
}

/** A model failure after a stream began: travels as a `modelStreamErrorException` frame. */
export class ModelStreamErrorException extends AwsError {
  constructor(message: string, originalStatusCode?: number, originalMessage?: string) {
    super("ModelStreamErrorException", 424, message, { originalStatusCode, originalMessage });
  }
}

export class ThrottlingException extends AwsError {
  constructor(message: string) {
    super("ThrottlingException", 429, message);
  }
}

export class ModelNotReadyException extends AwsError {
  constructor(message: string) {
    super("ModelNotReadyException", 429, message);
  }
}

export class InternalServerException extends AwsError {
  constructor(message = "The server encountered an internal error while processing the request.") {
    super("InternalServerException", 500, message);
  }
}

export class ServiceUnavailableException extends AwsError {
  constructor(message: string) {
    super("ServiceUnavailableException", 503, message);
  }
}

// Authentication errors, as the AWS front door answers them (not modelled in the service models).

export class MissingAuthenticationTokenException extends AwsError {
  constructor(message = "Missing Authentication Token") {
    super("MissingAuthenticationTokenException", 403, message);
  }
}

export class UnrecognizedClientException extends AwsError {
  constructor(message = "The security token included in the request is invalid.") {
    super("UnrecognizedClientException", 403, message);
  }
}

export class InvalidSignatureException extends AwsError {
  constructor(message: string) {
    super("InvalidSignatureException", 403, message);
  }
}

export class IncompleteSignatureException extends AwsError {
  constructor(message: string) {
    super("IncompleteSignatureException", 400, message);
  }
}

// Routing errors.

export class UnknownOperationException extends AwsError {
  constructor(method: string, path: string) {
    super("UnknownOperationException", 404, `No operation matches ${method} ${path}.`);
  }
}

/** A modelled operation Strata does not implement yet: a well-formed error, never a hang or a crash. */
export class NotImplementedException extends AwsError {
  constructor(operationName: string) {
    super("NotImplementedException", 501, `Strata does not implement the ${operationName} operation yet.`);
  }
}

export class PayloadTooLargeException extends AwsError {
  constructor(limitBytes: number) {
    super(
      "ValidationException",
      413,
      `The request body is larger than the ${limitBytes}-byte limit of this server.`,
    );
  }
}
