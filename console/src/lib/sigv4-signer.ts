// AWS Signature Version 4 for the browser, the way the AWS SDKs sign Bedrock requests, with one difference that
// is the point of it: it signs with a *derived* signing key (HMAC chain of the secret over date, region and
// service), never with the secret itself. The console derives the keys once at sign-in and keeps only them, so
// what a session holds is good for one API and at most two UTC days (docs/architecture.md, "The web console").
// SHA-256 is @aws-crypto/sha256-js (pure JS): it works where WebCrypto does not (a console opened over plain
// HTTP from another machine is not a secure context). Checked against @smithy/signature-v4 in
// test/console/sigv4-signer.test.ts.
import { Sha256 } from "@aws-crypto/sha256-js";

export const signingAlgorithm = "AWS4-HMAC-SHA256";

export interface SigningKey {
  /** UTC day the key is valid for, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  /** Hex of the derived key. */
  keyHex: string;
}

export interface SignableRequest {
  method: string;
  /** The path exactly as sent: every label already percent-encoded with escapeUri. */
  path: string;
  /** Decoded names and values, in any order. */
  query: readonly (readonly [string, string])[];
  /** Lower-case names; `host` must be the Host the browser will send. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

const encoder = new TextEncoder();

/** encodeURIComponent plus the characters RFC 3986 reserves that it leaves alone (the SDKs' escapeUri). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const hash = new Sha256();
  hash.update(typeof data === "string" ? encoder.encode(data) : data);
  return hash.digest();
}

async function hmac(key: Uint8Array | string, data: string): Promise<Uint8Array> {
  const hash = new Sha256(key);
  hash.update(encoder.encode(data));
  return hash.digest();
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return toHex(await sha256(data));
}

/** The SigV4 key for one day, region and service: HMAC("AWS4" + secret, date) → region → service → aws4_request. */
export async function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Promise<SigningKey> {
  let key: Uint8Array | string = `AWS4${secretAccessKey}`;
  for (const part of [date, region, service, "aws4_request"]) key = await hmac(key, part);
  return { date, region, service, keyHex: toHex(key as Uint8Array) };
}

/** 20260102T030405Z */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function canonicalPath(path: string): string {
  // Bedrock signs the path escaped once more (uriEscapePath): "%3A" in the path is "%253A" here.
  return path
    .split("/")
    .map((segment) => escapeUri(segment))
    .join("/");
}

function canonicalQuery(query: SignableRequest["query"]): string {
  return query
    .map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`)
    .sort()
    .join("&");
}

/**
 * The headers to add to the request (authorization, x-amz-date, x-amz-content-sha256). Every header in
 * `request.headers` is signed; the browser must then send exactly those values.
 */
export async function signRequest(
  request: SignableRequest,
  accessKeyId: string,
  key: SigningKey,
  now: Date,
): Promise<Record<string, string>> {
  const longDate = amzDate(now);
  if (longDate.slice(0, 8) !== key.date) throw new Error(`the signing key is for ${key.date}, not today`);
  const payloadHash = await sha256Hex(request.body);
  const headers: Record<string, string> = {
    ...request.headers,
    "x-amz-date": longDate,
    "x-amz-content-sha256": payloadHash,
  };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${(headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${key.date}/${key.region}/${key.service}/aws4_request`;
  const stringToSign = [signingAlgorithm, longDate, scope, await sha256Hex(canonicalRequest)].join("\n");
  const signature = toHex(await hmac(fromHex(key.keyHex), stringToSign));
  return {
    authorization: `${signingAlgorithm} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    "x-amz-date": longDate,
    "x-amz-content-sha256": payloadHash,
  };
}
