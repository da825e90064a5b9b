// SigV4 verification for both the Bedrock API and the embedded S3 endpoint. The signature is recomputed with
// the same signer the AWS SDKs use (@smithy/signature-v4) over exactly what the client said it signed, and
// compared in constant time.
//
// Order of checks, and why:
//   1. no credentials at all           -> MissingAuthentication
//   2. malformed parameters            -> IncompleteSignature
//   3. unknown or inactive access key  -> UnrecognizedAccessKey (before anything else about the request)
//   4. wrong service / scope date      -> SignatureMismatch
//   5. signature                       -> SignatureMismatch
//   6. clock skew / presigned expiry   -> SignatureExpired
//   7. body vs x-amz-content-sha256    -> PayloadHashMismatch
// The signature is checked before the clock so that only a holder of the secret learns the server's time
// (SignatureExpired carries it): a wrong-secret request with a skewed date is a SignatureMismatch.
import { createHash, timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { formatAmzDate } from "./amz-date.js";
import { headerValue } from "./header-value.js";
import { NodeSha256 } from "./node-sha256.js";
import { parseRawQuery, type QueryParameter, toSignerQuery } from "./parse-raw-query.js";
import {
  parseAuthorizationHeader,
  parsePresignedQuery,
  type SignatureParameters,
} from "./parse-signature-parameters.js";

export interface IncomingSignedRequest {
  method: string;
  /** Path exactly as on the wire, percent-encoding intact, without the query. */
  rawPath: string;
  /** Query string as on the wire without the leading "?" ("" when none). */
  rawQuery: string;
  /** Lower-case names, as node's req.headers. */
  headers: Record<string, string | string[] | undefined>;
  /** The full body when the caller buffered it; undefined for streamed bodies. */
  body?: Uint8Array;
}

export interface StoredAccessKey {
  secretAccessKey: string;
  status: "Active" | "Inactive";
}

export type AccessKeyLookup = (accessKeyId: string) => StoredAccessKey | undefined;

export interface VerifyOptions {
  /** "bedrock" for the API, "s3" for the embedded S3 endpoint. */
  service: string;
  /** true for bedrock (the path is escaped once more when signing), false for s3. */
  uriEscapePath: boolean;
  now?: Date;
  /** Default 15 minutes. */
  maxClockSkewMs?: number;
}

export type SignatureFailure =
  | { kind: "MissingAuthentication"; message: string }
  | { kind: "IncompleteSignature"; message: string }
  | { kind: "UnrecognizedAccessKey"; message: string; accessKeyId: string }
  | { kind: "SignatureMismatch"; message: string; accessKeyId: string }
  | { kind: "SignatureExpired"; message: string; accessKeyId: string; serverTime: Date }
  | { kind: "PayloadHashMismatch"; message: string; accessKeyId: string };

export type SignatureVerification =
  | { ok: true; accessKeyId: string; region: string }
  | { ok: false; failure: SignatureFailure };

type SignableRequest = Parameters<SignatureV4["presign"]>[0];

const defaultMaxClockSkewMs = 15 * 60 * 1000;
const payloadHashHeader = "x-amz-content-sha256";
const unsignedPayload = "UNSIGNED-PAYLOAD";
const hexSha256Pattern = /^[0-9a-fA-F]{64}$/;
// Parameters the signer writes itself when presigning; everything else in the query is passed through.
const presignerOwnedParameters = new Set([
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
]);

export const unrecognizedAccessKeyMessage = "The security token included in the request is invalid.";
export const signatureMismatchMessage =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
export const missingAuthenticationMessage = "Missing Authentication Token";
export const payloadHashMismatchMessage =
  "The provided 'x-amz-content-sha256' header does not match what was computed.";

export async function verifySignature(
  request: IncomingSignedRequest,
  lookup: AccessKeyLookup,
  options: VerifyOptions,
): Promise<SignatureVerification> {
  const now = options.now ?? new Date();
  const maxClockSkewMs = options.maxClockSkewMs ?? defaultMaxClockSkewMs;
  const authorization = headerValue(request.headers, "authorization");
  const query = parseRawQuery(request.rawQuery);
  const presigned = query.ok && query.parameters.some((parameter) => parameter.name === "X-Amz-Algorithm");

  if (authorization === undefined && !presigned) {
    if (!query.ok) return incomplete(query.message);
    return failed({ kind: "MissingAuthentication", message: missingAuthenticationMessage });
  }
  if (!query.ok) return incomplete(query.message);
  if (authorization !== undefined && presigned) {
    return incomplete(
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.",
    );
  }

  const parsed =
    authorization !== undefined
      ? parseAuthorizationHeader(authorization, headerValue(request.headers, "x-amz-date"))
      : parsePresignedQuery(query.parameters);
  if (!parsed.ok) return incomplete(parsed.message);
  const parameters = parsed.parameters;
  const { accessKeyId, scope } = parameters;

  const storedKey = lookup(accessKeyId);
  if (storedKey?.status !== "Active") {
    return failed({ kind: "UnrecognizedAccessKey", message: unrecognizedAccessKeyMessage, accessKeyId });
  }

  if (scope.service !== options.service) {
    return failed({
      kind: "SignatureMismatch",
      accessKeyId,
      message: `Credential should be scoped to correct service: '${options.service}'.`,
    });
  }
  const amzShortDate = parameters.amzDate.slice(0, 8);
  if (scope.date !== amzShortDate) {
    return failed({
      kind: "SignatureMismatch",
      accessKeyId,
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzShortDate}', from '${parameters.amzDate}'.`,
    });
  }

  const expected =
    parameters.form === "header"
      ? await headerFormSignature(request, query.parameters, parameters, storedKey, options)
      : await presignedSignature(request, query.parameters, parameters, storedKey, options);
  if (!signaturesEqual(expected, parameters.signature)) {
    return failed({ kind: "SignatureMismatch", message: signatureMismatchMessage, accessKeyId });
  }

  const expiry = clockFailure(parameters, now, maxClockSkewMs);
  if (expiry) return failed({ kind: "SignatureExpired", message: expiry, accessKeyId, serverTime: now });

  const claimedPayloadHash =
    parameters.form === "query"
      ? (queryPayloadHash(query.parameters)?.value ?? headerValue(request.headers, payloadHashHeader))
      : headerValue(request.headers, payloadHashHeader);
  if (
    request.body !== undefined &&
    claimedPayloadHash !== undefined &&
    hexSha256Pattern.test(claimedPayloadHash)
  ) {
    const actual = createHash("sha256").update(request.body).digest("hex");
    if (actual !== claimedPayloadHash.toLowerCase()) {
      return failed({ kind: "PayloadHashMismatch", message: payloadHashMismatchMessage, accessKeyId });
    }
  }

  return { ok: true, accessKeyId, region: scope.region };
}

function failed(failure: SignatureFailure): SignatureVerification {
  return { ok: false, failure };
}

function incomplete(message: string): SignatureVerification {
  return failed({ kind: "IncompleteSignature", message });
}

function createSigner(parameters: SignatureParameters, storedKey: StoredAccessKey, options: VerifyOptions) {
  return new SignatureV4({
    credentials: { accessKeyId: parameters.accessKeyId, secretAccessKey: storedKey.secretAccessKey },
    region: parameters.scope.region,
    service: options.service,
    sha256: NodeSha256,
    uriEscapePath: options.uriEscapePath,
    // The client decided whether x-amz-content-sha256 is part of the request; the verifier must not add it.
    applyChecksum: false,
  });
}

/** The headers the client listed in SignedHeaders, and only those, so the canonical request matches. */
function signedHeaderValues(request: IncomingSignedRequest, parameters: SignatureParameters) {
  const headers: Record<string, string> = {};
  for (const name of parameters.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

function baseRequest(request: IncomingSignedRequest, headers: Record<string, string>): SignableRequest {
  return {
    method: request.method.toUpperCase(),
    protocol: "http:",
    hostname: headerValue(request.headers, "host") ?? "localhost",
    // The raw wire path: with uriEscapePath the signer escapes it once more, as the client's signer did.
    path: request.rawPath,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

async function headerFormSignature(
  request: IncomingSignedRequest,
  query: readonly QueryParameter[],
  parameters: SignatureParameters,
  storedKey: StoredAccessKey,
  options: VerifyOptions,
): Promise<string> {
  const headers = signedHeaderValues(request, parameters);
  const signable = new Set(parameters.signedHeaders);
  // The signer reads the payload hash from this header; it must not become a canonical header unless signed.
  const payloadHash = headerValue(request.headers, payloadHashHeader);
  if (payloadHash !== undefined) headers[payloadHashHeader] = payloadHash;
  // The signer always adds x-amz-date itself; keep it out of the canonical headers unless it was signed.
  const unsignable = new Set([...Object.keys(headers), "x-amz-date"].filter((name) => !signable.has(name)));
  const signed = await createSigner(parameters, storedKey, options).sign(
    { ...baseRequest(request, headers), query: toSignerQuery(query) },
    {
      signingDate: parameters.signingDate,
      signingRegion: parameters.scope.region,
      signingService: parameters.scope.service,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
    },
  );
  const authorization = signed.headers.authorization ?? "";
  return /Signature=([0-9a-f]{64})/.exec(authorization)?.[1] ?? "";
}

async function presignedSignature(
  request: IncomingSignedRequest,
  query: readonly QueryParameter[],
  parameters: SignatureParameters,
  storedKey: StoredAccessKey,
  options: VerifyOptions,
): Promise<string> {
  const headers = signedHeaderValues(request, parameters);
  const signable = new Set(parameters.signedHeaders);
  const unhoistable = new Set(Object.keys(headers));
  const unsignable = new Set<string>();
  const hoistedPayloadHash = queryPayloadHash(query);
  const remainingQuery = query.filter(
    (parameter) => !presignerOwnedParameters.has(parameter.name) && parameter !== hoistedPayloadHash,
  );
  if (hoistedPayloadHash) {
    // Handed back as a header under its exact query name: the presigner hoists it into the query again
    // (same spelling, same canonical query) and reads the payload hash from it.
    headers[hoistedPayloadHash.name] = hoistedPayloadHash.value;
  } else if (options.service === "s3" && !Object.hasOwn(headers, payloadHashHeader)) {
    // S3 presigned URLs never sign the payload.
    headers[payloadHashHeader] = unsignedPayload;
    unhoistable.add(payloadHashHeader);
    unsignable.add(payloadHashHeader);
  }
  const presigned = await createSigner(parameters, storedKey, options).presign(
    { ...baseRequest(request, headers), query: toSignerQuery(remainingQuery) },
    {
      signingDate: parameters.signingDate,
      expiresIn: parameters.expiresInSeconds ?? 0,
      signingRegion: parameters.scope.region,
      signingService: parameters.scope.service,
      signableHeaders: signable,
      unsignableHeaders: unsignable,
      unhoistableHeaders: unhoistable,
    },
  );
  const signature = presigned.query?.["X-Amz-Signature"];
  return typeof signature === "string" ? signature : "";
}

function queryPayloadHash(query: readonly QueryParameter[]): QueryParameter | undefined {
  return query.find((parameter) => parameter.name.toLowerCase() === payloadHashHeader);
}

function signaturesEqual(expectedHex: string, providedHex: string): boolean {
  const expected = Buffer.from(expectedHex, "hex");
  const provided = Buffer.from(providedHex, "hex");
  return expected.length === 32 && provided.length === 32 && timingSafeEqual(expected, provided);
}

/** AWS's wording, e.g. "Signature expired: X is now earlier than Y (Z - 15 min.)". */
function clockFailure(
  parameters: SignatureParameters,
  now: Date,
  maxClockSkewMs: number,
): string | undefined {
  const signedAt = parameters.signingDate.getTime();
  const skew = describeDuration(maxClockSkewMs);
  if (signedAt - now.getTime() > maxClockSkewMs) {
    const latest = new Date(now.getTime() + maxClockSkewMs);
    return `Signature not yet current: ${parameters.amzDate} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + ${skew})`;
  }
  // A presigned URL is valid for X-Amz-Expires from its date, however old that date is.
  const validForMs = parameters.form === "query" ? (parameters.expiresInSeconds ?? 0) * 1000 : maxClockSkewMs;
  if (now.getTime() - signedAt > validForMs) {
    const earliest = new Date(now.getTime() - validForMs);
    return `Signature expired: ${parameters.amzDate} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - ${describeDuration(validForMs)})`;
  }
  return undefined;
}

function describeDuration(milliseconds: number): string {
  return milliseconds % 60_000 === 0 ? `${milliseconds / 60_000} min.` : `${milliseconds / 1000} sec.`;
}
