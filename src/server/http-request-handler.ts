// Bridges node's HTTP/1.1 and HTTP/2 compatibility requests to the dispatcher: reads the body under a size
// limit, assigns the request id, writes the encoded response (event streams frame by frame) and logs one line.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logging/logger.js";
import { PayloadTooLargeException } from "../protocol/aws-errors.js";
import { errorResponse } from "../protocol/dispatcher.js";
import { writeEventStream } from "../protocol/event-stream-writer.js";
import type { WireRequest, WireResponse } from "../protocol/wire-request.js";
import type { CompatibleRequest, CompatibleResponse, RequestListener } from "./one-port-server.js";

export type WireHandler = (request: WireRequest) => Promise<WireResponse>;

export interface HttpRequestHandlerOptions {
  handle: WireHandler;
  maxRequestBodyBytes: number;
  logger: Logger;
}

class BodyTooLargeError extends Error {}

async function readBody(request: CompatibleRequest, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const queryStart = url.indexOf("?");
  if (queryStart === -1) return { rawPath: url, rawQuery: "" };
  return { rawPath: url.slice(0, queryStart), rawQuery: url.slice(queryStart + 1) };
}

export function createHttpRequestHandler(options: HttpRequestHandlerOptions): RequestListener {
  return (request, response) => {
    void handleExchange(options, request, response);
  };
}

async function handleExchange(
  options: HttpRequestHandlerOptions,
  request: CompatibleRequest,
  response: CompatibleResponse,
): Promise<void> {
  const startedAt = performance.now();
  const requestId = randomUUID();
  const abort = new AbortController();
  // "close" before our own end() means the client went away (HTTP/2 compat responses report writableFinished
  // even for a reset stream, so completion is tracked here).
  let completed = false;
  response.once("close", () => {
    if (!completed) abort.abort();
  });
  const { rawPath, rawQuery } = splitUrl(request.url ?? "/");
  let wireResponse: WireResponse;
  try {
    const body = await readBody(request, options.maxRequestBodyBytes);
    wireResponse = await options.handle({
      method: request.method ?? "GET",
      rawPath,
      rawQuery,
      headers: request.headers as WireRequest["headers"],
      body,
      requestId,
      signal: abort.signal,
    });
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    wireResponse = errorResponse(new PayloadTooLargeException(options.maxRequestBodyBytes));
  }
  await writeResponse(response, wireResponse, requestId);
  completed = true;
  options.logger.info("request", {
    requestId,
    method: request.method,
    path: rawPath,
    httpVersion: request.httpVersion,
    operation: wireResponse.operationName,
    status: wireResponse.status,
    errorType: wireResponse.errorType,
    caller: wireResponse.callerKeyId,
    latencyMs: Math.round((performance.now() - startedAt) * 10) / 10,
  });
}

async function writeResponse(
  response: CompatibleResponse,
  wire: WireResponse,
  requestId: string,
): Promise<void> {
  const headers: Record<string, string> = { ...wire.headers, "x-amzn-requestid": requestId };
  const body = wire.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
    headers["content-length"] = String(bytes.length);
    response.writeHead(wire.status, headers);
    response.end(bytes);
    return;
  }
  response.writeHead(wire.status, headers);
  const frames =
    wire.eventStreamModel && wire.eventStreamShape
      ? writeEventStream(wire.eventStreamModel, wire.eventStreamShape, body)
      : (body as AsyncIterable<Uint8Array>);
  for await (const frame of frames) {
    if (response.destroyed) break;
    (response as { write(chunk: Uint8Array): boolean }).write(frame);
  }
  response.end();
}
