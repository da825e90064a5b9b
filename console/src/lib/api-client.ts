// Every request the console makes: built from a path whose labels are escaped like the AWS SDKs do, signed with
// the session's SigV4 key, sent to this origin. Failures become ApiError with the AWS error type and message
// (x-amzn-errortype header, then the body's __type / code, as the SDKs resolve them).
import { currentSession, endSession, type Session, signingKeyFor } from "./session.js";
import { escapeUri, signRequest } from "./sigv4-signer.js";

export class ApiError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

type QueryValue = string | number | boolean | undefined;

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Built with apiPath so that every label is escaped. */
  path: string;
  query?: Readonly<Record<string, QueryValue | readonly string[]>>;
  /** A JSON body, or raw bytes (then contentType says what they are). */
  json?: unknown;
  bytes?: Uint8Array<ArrayBuffer>;
  contentType?: string;
  signal?: AbortSignal;
}

/** apiPath`/model/${modelId}/converse` → "/model/arn%3Aaws%3A…/converse". */
export function apiPath(strings: TemplateStringsArray, ...labels: readonly (string | number)[]): string {
  return strings.reduce(
    (path, text, index) => path + text + (index < labels.length ? escapeUri(String(labels[index])) : ""),
    "",
  );
}

function queryPairs(query: ApiRequest["query"]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, String(item)]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

function errorType(headerValue: string | null, body: Record<string, unknown>): string {
  const raw =
    headerValue ?? (typeof body.__type === "string" ? body.__type : undefined) ?? (body.code as string) ?? "";
  const beforeColon = raw.split(/[,:]/)[0] ?? "";
  return beforeColon.includes("#") ? (beforeColon.split("#").pop() ?? "") : beforeColon || "UnknownError";
}

async function failure(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the status says enough.
  }
  const message = String(body.message ?? body.Message ?? `HTTP ${response.status}`);
  return new ApiError(errorType(response.headers.get("x-amzn-errortype"), body), response.status, message);
}

/** Signs and sends a request as `session`; resolves with the response when its status is a success. */
export async function send(
  request: ApiRequest,
  session: Session | undefined = currentSession(),
): Promise<Response> {
  if (!session) throw new ApiError("SignedOut", 401, "Sign in first.");
  const now = new Date();
  const key = signingKeyFor(session, now);
  if (!key) {
    endSession(
      "The session's signing keys have expired (they last until the end of the next UTC day). Sign in again.",
    );
    throw new ApiError("SessionExpired", 401, "The session has expired.");
  }
  const body =
    request.bytes ??
    (request.json === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(request.json)));
  const contentType = request.contentType ?? (request.json === undefined ? undefined : "application/json");
  const headers: Record<string, string> = {
    host: window.location.host,
    ...(contentType ? { "content-type": contentType } : {}),
  };
  const pairs = queryPairs(request.query);
  const signed = await signRequest(
    { method: request.method, path: request.path, query: pairs, headers, body },
    session.accessKeyId,
    key,
    now,
  );
  const { host: _host, ...sentHeaders } = headers;
  const queryString = pairs.map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`).join("&");
  const response = await fetch(`${request.path}${queryString ? `?${queryString}` : ""}`, {
    method: request.method,
    headers: { ...sentHeaders, ...signed },
    ...(body.length > 0 || request.method !== "GET" ? { body } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    credentials: "omit",
    cache: "no-store",
  });
  if (response.ok) return response;
  const error = await failure(response);
  // The key was revoked or deleted while signed in: the session is of no use any more.
  if (session === currentSession() && error.type === "UnrecognizedClientException") {
    endSession("The server no longer knows this access key (revoked?). Sign in with another key.");
  }
  throw error;
}

export async function callJson<Output>(request: ApiRequest, session?: Session): Promise<Output> {
  const response = await send(request, session);
  const text = await response.text();
  return (text === "" ? {} : JSON.parse(text)) as Output;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return `${error.type}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
