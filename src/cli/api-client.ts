// The CLI's client of the public API: restJson1 requests signed with SigV4 from <data-dir>/credentials, the
// same way an AWS SDK signs them. The CLI has no other way into the server.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { StrataCredentials } from "../auth/credentials-file.js";
import { CliError } from "./cli-error.js";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path with labels already encoded by `pathLabel`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** Encodes a path label as the SDKs do: encodeURIComponent plus !'()* (bedrock-api.md §1.2). */
export function pathLabel(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export class ApiClient {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;

  constructor(endpoint: string, credentials: StrataCredentials, region: string) {
    this.endpoint = new URL(endpoint);
    this.signer = new SignatureV4({
      service: "bedrock",
      region,
      sha256: Sha256,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    });
  }

  async call<Output>(request: ApiRequest): Promise<Output> {
    const response = await this.send(request);
    const text = await response.text();
    const parsed = text === "" ? {} : parseJson(text);
    if (!response.ok) throw errorOf(response, parsed, text);
    return parsed as Output;
  }

  /** For operations that answer with an event stream: the body's bytes as they arrive (errors before it throw). */
  async openStream(request: ApiRequest): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.send(request);
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw errorOf(response, text === "" ? {} : parseJson(text), text);
    }
    return response.body;
  }

  private async send(request: ApiRequest): Promise<Response> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) query[key] = value;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { host: this.endpoint.host };
    if (body !== undefined) headers["content-type"] = "application/json";
    const signed = await this.signer.sign({
      method: request.method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      path: request.path,
      query,
      headers,
      body,
    });
    const url = new URL(request.path, this.endpoint);
    for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);
    try {
      return await fetch(url, {
        method: request.method,
        headers: signed.headers as Record<string, string>,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(
        `cannot reach Strata at ${this.endpoint.origin} (${cause}) — is \`strata serve\` running?`,
      );
    }
  }
}

function errorOf(response: Response, parsed: unknown, text: string): CliError {
  const errorType = response.headers.get("x-amzn-errortype")?.split(":")[0] ?? `HTTP ${response.status}`;
  const message = (parsed as { message?: string }).message ?? text;
  return new CliError(`${errorType}: ${message}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`the server answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
}
