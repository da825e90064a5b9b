// The playground's calls: which models can answer (catalog models served here or passed through, and
// reservations in service), ConverseStream and CompareModels decoded from their AWS event streams, and each
// invocation's cost from the usage ledger (ListInvocations), priced by the server the same way as every other
// invocation.
import type {
  CompareModelsRequest,
  CompareModelsStream,
} from "../../../../src/protocol/generated/strata-types.js";
import { ApiError, apiPath, callJson, send } from "../../lib/api-client.js";
import { decodeEventStream, readBody } from "../../lib/event-stream-decoder.js";

export interface ServableModel {
  /** What goes in the runtime's modelId: a catalog model id or a provisioned-model ARN. */
  id: string;
  label: string;
  kind: "catalog" | "provisioned";
}

interface CatalogEntry {
  modelId: string;
  modelName?: string;
  servedBy: string;
  outputModalities: string[];
  inferenceTypesSupported: string[];
}

interface ReservationSummary {
  provisionedModelName: string;
  provisionedModelArn: string;
  modelArn: string;
  status: string;
}

export async function listServableModels(signal: AbortSignal): Promise<ServableModel[]> {
  const [catalog, reservations] = await Promise.all([
    callJson<{ models: CatalogEntry[] }>({ method: "GET", path: "/strata/catalog", signal }),
    callJson<{ provisionedModelSummaries?: ReservationSummary[] }>({
      method: "GET",
      path: "/provisioned-model-throughputs",
      query: { statusEquals: "InService", maxResults: 100 },
      signal,
    }),
  ]);
  const models: ServableModel[] = catalog.models
    .filter(
      (model) =>
        model.servedBy !== "CATALOG_ONLY" &&
        model.outputModalities.includes("TEXT") &&
        model.inferenceTypesSupported.includes("ON_DEMAND"),
    )
    .map((model) => ({ id: model.modelId, label: model.modelId, kind: "catalog" }));
  for (const reservation of reservations.provisionedModelSummaries ?? []) {
    const model = reservation.modelArn.split("/").slice(1).join("/");
    models.push({
      id: reservation.provisionedModelArn,
      label: `${reservation.provisionedModelName} (provisioned: ${model})`,
      kind: "provisioned",
    });
  }
  return models;
}

export interface GenerationSettings {
  system: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  stopSequences: string[];
}

export interface ChatTurn {
  role: "user" | "assistant";
  text: string;
}

export interface StreamResult {
  requestId: string;
  text: string;
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** The server's own measurement (metadata event). */
  serverLatencyMs?: number;
  /** Measured here: request sent → first text. */
  timeToFirstTokenMs?: number;
  /** Measured here: request sent → stream end. */
  latencyMs: number;
}

const decoder = new TextDecoder();

function requestBody(turns: readonly ChatTurn[], settings: GenerationSettings) {
  return {
    messages: turns.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] })),
    ...(settings.system.trim() ? { system: [{ text: settings.system }] } : {}),
    inferenceConfig: {
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      topP: settings.topP,
      ...(settings.stopSequences.length > 0 ? { stopSequences: settings.stopSequences } : {}),
    },
  };
}

/** The events of an AWS event-stream response with their JSON payloads; an exception event rejects with ApiError. */
async function* streamEvents(
  response: Response,
): AsyncGenerator<{ eventType: string; payload: Record<string, unknown> }> {
  if (!response.body) throw new ApiError("EmptyResponse", response.status, "The stream had no body.");
  for await (const message of decodeEventStream(readBody(response.body))) {
    const payload = JSON.parse(decoder.decode(message.payload)) as Record<string, unknown>;
    const messageType = message.headers[":message-type"];
    if (messageType === "exception" || messageType === "error") {
      const type = String(
        message.headers[":exception-type"] ?? message.headers[":error-code"] ?? "StreamError",
      );
      throw new ApiError(
        type.charAt(0).toUpperCase() + type.slice(1),
        200,
        String(payload.message ?? "stream failed"),
      );
    }
    yield { eventType: String(message.headers[":event-type"] ?? ""), payload };
  }
}

/** ConverseStream: text deltas as they come; resolves with usage and timings, or rejects with ApiError. */
export async function converseStream(
  modelId: string,
  turns: readonly ChatTurn[],
  settings: GenerationSettings,
  onText: (delta: string) => void,
  signal: AbortSignal,
): Promise<StreamResult> {
  const started = performance.now();
  const response = await send({
    method: "POST",
    path: apiPath`/model/${modelId}/converse-stream`,
    json: requestBody(turns, settings),
    signal,
  });
  const result: StreamResult = {
    requestId: response.headers.get("x-amzn-requestid") ?? "",
    text: "",
    latencyMs: 0,
  };
  for await (const { eventType, payload } of streamEvents(response)) {
    if (eventType === "contentBlockDelta") {
      const text = (payload.delta as { text?: string } | undefined)?.text;
      if (text) {
        result.timeToFirstTokenMs ??= performance.now() - started;
        result.text += text;
        onText(text);
      }
    } else if (eventType === "messageStop") {
      result.stopReason = String(payload.stopReason ?? "");
    } else if (eventType === "metadata") {
      const usage = payload.usage as { inputTokens?: number; outputTokens?: number } | undefined;
      const metrics = payload.metrics as { latencyMs?: number } | undefined;
      result.inputTokens = usage?.inputTokens;
      result.outputTokens = usage?.outputTokens;
      result.serverLatencyMs = metrics?.latencyMs;
    }
  }
  result.latencyMs = performance.now() - started;
  return result;
}

/**
 * One prompt on several models as a CompareModels request. CompareModels' inferenceConfig has no stop sequences:
 * the compare view says so when some are set.
 */
export function compareRequest(
  modelIds: readonly string[],
  prompt: string,
  settings: GenerationSettings,
): CompareModelsRequest {
  return {
    modelIds: [...modelIds],
    prompts: [{ text: prompt, ...(settings.system.trim() ? { system: settings.system } : {}) }],
    inferenceConfig: {
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      topP: settings.topP,
    },
  };
}

/**
 * CompareModels (`POST /strata/compare`): the whole comparison in one request, every model started at the same
 * instant on the server, their events merged into one stream and handed to `onEvent` as they arrive, in the form
 * the operation yields them (`{ [eventType]: payload }`). Resolves when the stream ends; rejects with ApiError.
 */
export async function compareModels(
  request: CompareModelsRequest,
  onEvent: (event: CompareModelsStream) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await send({ method: "POST", path: "/strata/compare", json: request, signal });
  for await (const { eventType, payload } of streamEvents(response)) {
    onEvent({ [eventType]: payload } as CompareModelsStream);
  }
}

interface InvocationSummary {
  requestId: string;
  costUsd: number;
  priceBasis: string;
}

/**
 * The ledger's cost of each request id, waiting briefly: the ledger writes its rows in batches just after the
 * invocation. Ids not found in time are absent from the result.
 */
export async function invocationCosts(
  requestIds: readonly string[],
  since: Date,
  signal: AbortSignal,
): Promise<Map<string, InvocationSummary>> {
  const found = new Map<string, InvocationSummary>();
  for (let attempt = 0; attempt < 10 && found.size < requestIds.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 300));
    const { invocations } = await callJson<{ invocations: InvocationSummary[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
      query: { from: new Date(since.getTime() - 1000).toISOString(), maxResults: 1000 },
      signal,
    });
    for (const invocation of invocations) {
      if (requestIds.includes(invocation.requestId)) found.set(invocation.requestId, invocation);
    }
  }
  return found;
}
