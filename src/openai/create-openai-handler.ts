// The OpenAI-compatible API under /v1: authenticates the caller (the same Bearer API keys and SigV4 as the
// Bedrock API), routes to the operation and answers every failure in OpenAI's error shape — the official
// clients choose their exception class from the status and read `error.message`.
import type { Catalog } from "../catalog/catalog.js";
import type { RuntimeServices } from "../inference/runtime-services.js";
import { describeError, type Logger } from "../logging/logger.js";
import type { Caller } from "../protocol/dispatcher.js";
import type { WireRequest, WireResponse } from "../protocol/wire-request.js";
import { createChatCompletion } from "./chat-completions.js";
import { createCompletion } from "./completions.js";
import { createEmbeddings } from "./embeddings.js";
import { jsonResponse } from "./json-response.js";
import { listModels, retrieveModel } from "./list-models.js";
import { isUnexpectedError, OpenAiError, toOpenAiError } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import { parseJsonBody } from "./parse-json-body.js";

export interface OpenAiHandlerOptions {
  runtime: RuntimeServices;
  catalog: Catalog;
  authenticate: (request: WireRequest) => Promise<Caller>;
  logger: Logger;
}

/** Every path this handler serves starts with this prefix. */
export const openAiPathPrefix = "/v1/";

interface Route {
  method: "GET" | "POST";
  operationName: string;
  run(context: OpenAiRequestContext): Promise<WireResponse>;
}

const modelsPath = "/v1/models";

/** The route for a path, or the methods the path does take (for a 405), or nothing (404). */
function findRoutes(rawPath: string): Route[] {
  switch (rawPath) {
    case modelsPath:
      return [{ method: "GET", operationName: "openai.models.list", run: listModels }];
    case "/v1/chat/completions":
      return [postRoute("openai.chat.completions", createChatCompletion)];
    case "/v1/completions":
      return [postRoute("openai.completions", createCompletion)];
    case "/v1/embeddings":
      return [postRoute("openai.embeddings", createEmbeddings)];
  }
  if (rawPath.startsWith(`${modelsPath}/`) && rawPath.length > modelsPath.length + 1) {
    const modelId = decodePathPart(rawPath.slice(modelsPath.length + 1));
    if (modelId === undefined) return [];
    return [
      {
        method: "GET",
        operationName: "openai.models.retrieve",
        run: (context) => retrieveModel(context, modelId),
      },
    ];
  }
  return [];
}

function postRoute(
  operationName: string,
  operation: (context: OpenAiRequestContext, body: unknown) => Promise<WireResponse>,
): Route {
  return {
    method: "POST",
    operationName,
    run: (context) => {
      const body = parseJsonBody(context.request.body);
      if (!body.success) throw body.error;
      return operation(context, body.value);
    },
  };
}

function decodePathPart(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

export function createOpenAiHandler(
  options: OpenAiHandlerOptions,
): (request: WireRequest) => Promise<WireResponse> {
  return async (request) => {
    let operationName: string | undefined;
    let callerKeyId: string | undefined;
    try {
      // Authenticate before routing, as the Bedrock dispatcher does: an unauthenticated probe learns nothing.
      const caller = await options.authenticate(request);
      callerKeyId = caller.keyId;
      const routes = findRoutes(request.rawPath);
      const route = routes.find((candidate) => candidate.method === request.method);
      if (!route) throw routingError(request, routes);
      operationName = route.operationName;
      const response = await route.run({
        request,
        caller,
        runtime: options.runtime,
        catalog: options.catalog,
        logger: options.logger,
      });
      return { ...response, operationName, callerKeyId };
    } catch (error) {
      // A client that went away aborts the engine; that is not a server fault worth an error line.
      if (isUnexpectedError(error) && !request.signal.aborted) {
        options.logger.error("unexpected error", {
          requestId: request.requestId,
          operation: operationName,
          ...describeError(error),
        });
      }
      const translated = toOpenAiError(error);
      const response = jsonResponse(translated.status, translated.toBody(), request.requestId);
      return {
        ...response,
        ...(operationName === undefined ? {} : { operationName }),
        ...(callerKeyId === undefined ? {} : { callerKeyId }),
        errorType: translated.code ?? translated.type,
      };
    }
  };
}

function routingError(request: WireRequest, routes: readonly Route[]): OpenAiError {
  if (routes.length === 0) {
    return new OpenAiError(
      404,
      `Invalid URL (${request.method} ${request.rawPath})`,
      "invalid_request_error",
      null,
      "unknown_url",
    );
  }
  const allowed = routes.map((route) => route.method).join(", ");
  return new OpenAiError(
    405,
    `Method ${request.method} is not allowed on ${request.rawPath}: use ${allowed}.`,
    "invalid_request_error",
    null,
    "method_not_allowed",
  );
}
