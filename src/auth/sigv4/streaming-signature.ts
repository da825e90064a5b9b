// aws-chunked uploads (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) sign every chunk,
// chaining each signature to the previous one and starting from the Authorization header's signature. The
// header check in verifySignature only proves the headers; these helpers let the body reader prove the bytes.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { headerValue, type IncomingHeaders } from "./header-value.js";
import { parseAuthorizationHeader } from "./parse-signature-parameters.js";
import type { AccessKeyLookup } from "./verify-signature.js";

const emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface StreamingSigningContext {
  /** Derived from the secret: never log it. */
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
  readonly seedSignature: string;
}

/**
 * Call only after verifySignature accepted the request: this re-reads the same header and key to derive the
 * per-day signing key. Returns undefined when the request is not header-signed or the key is gone.
 */
export function createStreamingSigningContext(
  headers: IncomingHeaders,
  lookup: AccessKeyLookup,
): StreamingSigningContext | undefined {
  const authorization = headerValue(headers, "authorization");
  if (authorization === undefined) return undefined;
  const parsed = parseAuthorizationHeader(authorization, headerValue(headers, "x-amz-date"));
  if (!parsed.ok) return undefined;
  const { accessKeyId, scope, amzDate, signature } = parsed.parameters;
  const key = lookup(accessKeyId);
  if (key?.status !== "Active") return undefined;
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, scope.date);
  for (const part of [scope.region, scope.service, "aws4_request"]) signingKey = hmac(signingKey, part);
  return {
    signingKey,
    amzDate,
    scope: `${scope.date}/${scope.region}/${scope.service}/aws4_request`,
    seedSignature: signature,
  };
}

export function chunkSignature(
  context: StreamingSigningContext,
  previousSignature: string,
  chunkSha256Hex: string,
): string {
  const stringToSign = [
    "AWS4-HMAC-SHA256-PAYLOAD",
    context.amzDate,
    context.scope,
    previousSignature,
    emptySha256,
    chunkSha256Hex,
  ].join("\n");
  return hmac(context.signingKey, stringToSign).toString("hex");
}

/** `trailerText` is the trailing headers as "name:value\n" lines, without x-amz-trailer-signature. */
export function trailerSignature(
  context: StreamingSigningContext,
  previousSignature: string,
  trailerText: string,
): string {
  const trailerHash = createHash("sha256").update(trailerText, "utf8").digest("hex");
  const stringToSign = [
    "AWS4-HMAC-SHA256-TRAILER",
    context.amzDate,
    context.scope,
    previousSignature,
    trailerHash,
  ].join("\n");
  return hmac(context.signingKey, stringToSign).toString("hex");
}

export function hexSignaturesEqual(expectedHex: string, providedHex: string): boolean {
  const expected = Buffer.from(expectedHex, "hex");
  const provided = /^[0-9a-fA-F]{64}$/.test(providedHex) ? Buffer.from(providedHex, "hex") : Buffer.alloc(0);
  return expected.length === 32 && provided.length === 32 && timingSafeEqual(expected, provided);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
