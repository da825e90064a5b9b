// Strata's signature verdicts, told the way S3 tells them: S3's error codes, statuses and messages, which is
// what S3 clients and SDKs branch on (an SDK corrects its clock only on RequestTimeTooSkewed, for example).
import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "../../auth/sigv4/header-value.js";
import { type SignatureFailure, signatureMismatchMessage } from "../../auth/sigv4/verify-signature.js";
import { S3RequestError } from "./s3-request-error.js";

export function refusalForSignatureFailure(
  failure: SignatureFailure,
  headers: IncomingHttpHeaders,
  maxClockSkewMs: number,
): S3RequestError {
  const presigned = headers.authorization === undefined;
  switch (failure.kind) {
    case "MissingAuthentication":
      return new S3RequestError("AccessDenied", 403, "Access Denied");
    case "IncompleteSignature":
      return presigned
        ? new S3RequestError("AuthorizationQueryParametersError", 400, failure.message)
        : new S3RequestError("AuthorizationHeaderMalformed", 400, failure.message);
    case "UnrecognizedAccessKey":
      return new S3RequestError(
        "InvalidAccessKeyId",
        403,
        "The AWS Access Key Id you provided does not exist in our records.",
        { AWSAccessKeyId: failure.accessKeyId },
      );
    case "SignatureMismatch":
      return new S3RequestError(
        "SignatureDoesNotMatch",
        403,
        failure.message === signatureMismatchMessage
          ? "The request signature we calculated does not match the signature you provided. Check your key and signing method."
          : failure.message,
        { AWSAccessKeyId: failure.accessKeyId },
      );
    case "SignatureExpired": {
      const serverTime = failure.serverTime.toISOString().replace(/\.\d{3}Z$/, "Z");
      if (presigned) {
        return failure.message.startsWith("Signature expired")
          ? new S3RequestError("AccessDenied", 403, "Request has expired", { ServerTime: serverTime })
          : new S3RequestError("AccessDenied", 403, "Request is not valid yet", { ServerTime: serverTime });
      }
      return new S3RequestError(
        "RequestTimeTooSkewed",
        403,
        "The difference between the request time and the current time is too large.",
        {
          RequestTime: headerValue(headers, "x-amz-date") ?? "",
          ServerTime: serverTime,
          MaxAllowedSkewMilliseconds: String(maxClockSkewMs),
        },
      );
    }
    case "PayloadHashMismatch":
      return new S3RequestError("XAmzContentSHA256Mismatch", 400, failure.message);
  }
}
