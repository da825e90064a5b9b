// Establishes who is calling: a Bedrock API key as `Authorization: Bearer`, or a SigV4 signature (header or
// presigned query) over the request. Failures become the errors AWS's front door answers with.
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from "../protocol/aws-errors.js";
import type { Caller } from "../protocol/dispatcher.js";
import type { WireRequest } from "../protocol/wire-request.js";
import type { KeyStore } from "./key-store.js";
import { type SignatureFailure, verifySignature } from "./sigv4/verify-signature.js";

export const anonymousAdmin: Caller = { keyId: "anonymous", keyType: "ANONYMOUS", isAdmin: true };

function header(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createAuthenticator(options: {
  keyStore: KeyStore;
  authentication: boolean;
  signingName: string;
}): (request: WireRequest) => Promise<Caller> {
  return async (request) => {
    if (!options.authentication) return anonymousAdmin;
    const authorization = header(request, "authorization");
    if (authorization && /^Bearer\s/i.test(authorization)) {
      const record = options.keyStore.findApiKey(authorization.replace(/^Bearer\s+/i, "").trim());
      if (!record) throw new UnrecognizedClientException("The API key included in the request is invalid.");
      options.keyStore.noteUse("API_KEY", record.keyId);
      return { keyId: record.keyId, keyType: "API_KEY", isAdmin: record.isAdmin };
    }
    const verification = await verifySignature(
      {
        method: request.method,
        rawPath: request.rawPath,
        rawQuery: request.rawQuery,
        headers: request.headers,
        body: request.body,
      },
      options.keyStore.lookupAccessKey,
      { service: options.signingName, uriEscapePath: true },
    );
    if (!verification.ok) throw errorFor(verification.failure);
    options.keyStore.noteUse("ACCESS_KEY", verification.accessKeyId);
    return {
      keyId: verification.accessKeyId,
      keyType: "ACCESS_KEY",
      isAdmin: options.keyStore.isAdminAccessKey(verification.accessKeyId),
    };
  };
}

function errorFor(failure: SignatureFailure) {
  switch (failure.kind) {
    case "MissingAuthentication":
      return new MissingAuthenticationTokenException();
    case "IncompleteSignature":
      return new IncompleteSignatureException(failure.message);
    case "UnrecognizedAccessKey":
      return new UnrecognizedClientException();
    case "SignatureMismatch":
    case "PayloadHashMismatch":
    case "SignatureExpired":
      return new InvalidSignatureException(failure.message);
  }
}
