// The one place where HTTP meets operations: route → authenticate → decode + validate → call the operation →
// encode. Operations receive typed input and a context, return typed output or throw an AwsError, and never
// see HTTP. Unknown failures become a logged 500 InternalServerException.
import {
  AwsError,
  InternalServerException,
  NotImplementedException,
  UnknownOperationException,
} from "./aws-errors.js";
import { decodeRequest } from "./decode-request.js";
import { encodeResponse } from "./encode-response.js";
import { RouteTable } from "./route-table.js";
import type { ServiceModel } from "./service-model.js";
import type { WireRequest, WireResponse } from "./wire-request.js";

/** Who is calling, as established by authentication. */
export interface Caller {
  keyId: string;
  keyType: "ACCESS_KEY" | "API_KEY" | "ANONYMOUS";
  isAdmin: boolean;
}

export interface RequestContext {
  requestId: string;
  caller: Caller;
  operationName: string;
  /** Aborted when the client goes away: long operations stop their work. */
  signal: AbortSignal;
}

export type OperationHandler = (context: RequestContext, input: never) => Promise<unknown>;

/** Types a handler against its generated input/output types while keeping one registry type. */
export function operation<Input, Output>(
  handler: (context: RequestContext, input: Input) => Promise<Output>,
): OperationHandler {
  return handler as unknown as OperationHandler;
}

export interface ServiceBinding {
  model: ServiceModel;
  handlers: Record<string, OperationHandler>;
}

export interface DispatcherOptions {
  services: readonly ServiceBinding[];
  authenticate: (request: WireRequest) => Promise<Caller>;
  onUnexpectedError: (error: unknown, request: WireRequest, operationName: string | undefined) => void;
}

export type Dispatcher = (request: WireRequest) => Promise<WireResponse>;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const routes = new RouteTable(options.services.map((service) => service.model));
  const handlersByModel = new Map(options.services.map((service) => [service.model, service.handlers]));

  return async (request) => {
    const match = routes.match(request.method, request.rawPath);
    const operationName = match?.operation.name;
    let callerKeyId: string | undefined;
    try {
      // Authenticate before anything else so that an unsigned probe learns nothing about routes.
      const caller = await options.authenticate(request);
      callerKeyId = caller.keyId;
      if (!match) throw new UnknownOperationException(request.method, request.rawPath);
      const handler = handlersByModel.get(match.service)?.[match.operation.name];
      if (!handler) throw new NotImplementedException(match.operation.name);
      const input = decodeRequest(match.service, match.operation, {
        labels: match.labels,
        query: new URLSearchParams(request.rawQuery),
        headers: request.headers,
        body: request.body,
      });
      const context: RequestContext = {
        requestId: request.requestId,
        caller,
        operationName: match.operation.name,
        signal: request.signal,
      };
      const output = (await handler(context, input as never)) as Record<string, unknown> | undefined;
      const encoded = encodeResponse(match.service, match.operation, output);
      return {
        ...encoded,
        ...(encoded.eventStreamShape ? { eventStreamModel: match.service } : {}),
        operationName,
        callerKeyId,
      };
    } catch (error) {
      const awsError = asAwsError(error);
      if (awsError instanceof InternalServerException && !(error instanceof AwsError)) {
        options.onUnexpectedError(error, request, operationName);
      }
      return { ...errorResponse(awsError), operationName, callerKeyId };
    }
  };
}

export function asAwsError(error: unknown): AwsError {
  return error instanceof AwsError ? error : new InternalServerException();
}

export function errorResponse(error: AwsError): WireResponse {
  const body: Record<string, unknown> = { message: error.message };
  for (const [key, value] of Object.entries(error.extraMembers)) if (value !== undefined) body[key] = value;
  return {
    status: error.statusCode,
    headers: { "content-type": "application/json", "x-amzn-errortype": error.errorType },
    body: JSON.stringify(body),
    errorType: error.errorType,
  };
}
