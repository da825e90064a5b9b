// Pulls the SigV4 parameters out of either the Authorization header or a presigned URL's query, without
// judging them: the caller decides what an unknown key or a wrong scope means.
import { parseAmzDate } from "./amz-date.js";
import type { QueryParameter } from "./parse-raw-query.js";

export const signingAlgorithm = "AWS4-HMAC-SHA256";
const scopeTerminator = "aws4_request";
const maxPresignedExpirySeconds = 7 * 24 * 60 * 60;

export interface CredentialScope {
  date: string;
  region: string;
  service: string;
}

export interface SignatureParameters {
  form: "header" | "query";
  accessKeyId: string;
  scope: CredentialScope;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
  amzDate: string;
  signingDate: Date;
  /** X-Amz-Expires of a presigned URL. */
  expiresInSeconds?: number;
}

export type SignatureParametersParse =
  | { ok: true; parameters: SignatureParameters }
  | { ok: false; message: string; accessKeyId?: string };

export function parseAuthorizationHeader(
  authorization: string,
  amzDateHeader: string | undefined,
): SignatureParametersParse {
  const match = /^(\S+)\s+(.*)$/s.exec(authorization.trim());
  if (!match || match[1] !== signingAlgorithm) {
    return { ok: false, message: `Unsupported Authorization type: only ${signingAlgorithm} is accepted.` };
  }
  const components = new Map<string, string>();
  for (const component of (match[2] ?? "").split(",")) {
    const trimmed = component.trim();
    const equals = trimmed.indexOf("=");
    if (equals <= 0) {
      return { ok: false, message: "Invalid key=value pair (missing equal-sign) in Authorization header." };
    }
    const name = trimmed.slice(0, equals);
    if (components.has(name)) {
      return { ok: false, message: `Authorization header has a repeated '${name}' parameter.` };
    }
    components.set(name, trimmed.slice(equals + 1));
  }
  const problems: string[] = [];
  for (const required of ["Credential", "Signature", "SignedHeaders"]) {
    if (!components.has(required)) problems.push(`Authorization header requires '${required}' parameter.`);
  }
  if (amzDateHeader === undefined) {
    // The Date header alternative is not offered: the signer always signs with x-amz-date.
    problems.push("Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  if (problems.length > 0) return { ok: false, message: problems.join(" ") };
  for (const name of components.keys()) {
    if (!["Credential", "Signature", "SignedHeaders"].includes(name)) {
      return { ok: false, message: `Authorization header has an unknown parameter '${name}'.` };
    }
  }
  return buildParameters("header", {
    credential: components.get("Credential") ?? "",
    signedHeaders: components.get("SignedHeaders") ?? "",
    signature: components.get("Signature") ?? "",
    amzDate: amzDateHeader ?? "",
  });
}

const presignedParameterNames = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
] as const;

export function parsePresignedQuery(query: readonly QueryParameter[]): SignatureParametersParse {
  const values = new Map<string, string>();
  for (const name of presignedParameterNames) {
    const matches = query.filter((parameter) => parameter.name === name);
    if (matches.length > 1) return { ok: false, message: `Query parameter '${name}' is repeated.` };
    const only = matches[0];
    if (only) values.set(name, only.value);
  }
  const missing = presignedParameterNames.filter((name) => !values.has(name));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `Query-string authentication version 4 requires the ${presignedParameterNames.join(", ")} parameters; missing ${missing.join(", ")}.`,
    };
  }
  if (values.get("X-Amz-Algorithm") !== signingAlgorithm) {
    return { ok: false, message: `X-Amz-Algorithm only supports "${signingAlgorithm}".` };
  }
  const expiresText = values.get("X-Amz-Expires") ?? "";
  const expiresInSeconds = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expiresInSeconds >= 1 && expiresInSeconds <= maxPresignedExpirySeconds)) {
    return {
      ok: false,
      message: `X-Amz-Expires must be a whole number of seconds from 1 to ${maxPresignedExpirySeconds}.`,
    };
  }
  const parsed = buildParameters("query", {
    credential: values.get("X-Amz-Credential") ?? "",
    signedHeaders: values.get("X-Amz-SignedHeaders") ?? "",
    signature: values.get("X-Amz-Signature") ?? "",
    amzDate: values.get("X-Amz-Date") ?? "",
  });
  if (parsed.ok) parsed.parameters.expiresInSeconds = expiresInSeconds;
  return parsed;
}

function buildParameters(
  form: "header" | "query",
  raw: { credential: string; signedHeaders: string; signature: string; amzDate: string },
): SignatureParametersParse {
  const parts = raw.credential.split("/");
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || !terminator) {
    return {
      ok: false,
      message: "Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request.",
    };
  }
  if (terminator !== scopeTerminator) {
    return {
      ok: false,
      accessKeyId,
      message: `Credential should be scoped with a valid terminator: '${scopeTerminator}', not '${terminator}'.`,
    };
  }
  if (!/^\d{8}$/.test(date)) {
    return { ok: false, accessKeyId, message: `Credential date '${date}' is not in the form YYYYMMDD.` };
  }
  const signingDate = parseAmzDate(raw.amzDate);
  if (!signingDate) {
    return {
      ok: false,
      accessKeyId,
      message: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".",
    };
  }
  const signedHeaders = raw.signedHeaders.split(";");
  // HTTP/2 clients sign the ":authority" pseudo-header instead of host (the SDK's h2 handler does).
  if (signedHeaders.some((name) => !/^:?[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))) {
    return {
      ok: false,
      accessKeyId,
      message: "SignedHeaders must be a ';'-separated list of lower-case names.",
    };
  }
  // Without a signed host a signature could be replayed against any other endpoint.
  if (!signedHeaders.includes("host") && !signedHeaders.includes(":authority")) {
    return {
      ok: false,
      accessKeyId,
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(raw.signature)) {
    return { ok: false, accessKeyId, message: "Signature must be 64 hexadecimal characters." };
  }
  return {
    ok: true,
    parameters: {
      form,
      accessKeyId,
      scope: { date, region, service },
      signedHeaders,
      signature: raw.signature.toLowerCase(),
      amzDate: raw.amzDate,
      signingDate,
    },
  };
}
