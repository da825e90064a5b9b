// The handler against a scripted engine and an in-memory catalog: routing, authentication, error shapes,
// streaming framing and usage reporting, without llama.cpp.
import { describe, expect, it } from "vitest";
import type { Catalog, CatalogEntry, CatalogFilters } from "../catalog/catalog.js";
import {
  EngineError,
  type GenerationEvent,
  type GenerationRequest,
  type InferenceEngine,
} from "../inference/engine/inference-engine.js";
import type { RuntimeModelResolver, RuntimeTarget } from "../inference/resolve-runtime-model.js";
import { silentLogger } from "../logging/logger.js";
import {
  AccessDeniedException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from "../protocol/aws-errors.js";
import type { WireRequest, WireResponse } from "../protocol/wire-request.js";
import type { InvocationRecord } from "../usage/invocation-record.js";
import { createOpenAiHandler } from "./create-openai-handler.js";

function entry(modelId: string, servedBy: "LOCAL_ENGINE" | "CATALOG_ONLY"): CatalogEntry {
  return {
    model: {
      modelId,
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
      providerName: servedBy === "LOCAL_ENGINE" ? "Local" : "Anthropic",
      servedBy,
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      customizationsSupported: [],
      inferenceTypesSupported: ["ON_DEMAND"],
      lifecycleStatus: "ACTIVE",
    },
    summary: { modelArn: "", modelId },
  };
}

const entries = new Map([
  ["local.tiny", entry("local.tiny", "LOCAL_ENGINE")],
  ["anthropic.claude-v9", entry("anthropic.claude-v9", "CATALOG_ONLY")],
]);

const catalog = {
  get: async (id: string) => entries.get(id),
  list: async (filters: CatalogFilters = {}) =>
    [...entries.values()].filter((item) => !filters.byServedBy || item.model.servedBy === filters.byServedBy),
} as unknown as Catalog;

const resolver = {
  resolve: async (id: string): Promise<RuntimeTarget> => {
    const found = entries.get(id);
    if (found?.model.servedBy !== "LOCAL_ENGINE") throw new AccessDeniedException("catalog only");
    return { kind: "local", entry: found, engineModel: { modelId: id, filePath: "/models/tiny.gguf" } };
  },
} as unknown as RuntimeModelResolver;

type Script = (request: GenerationRequest) => AsyncGenerator<GenerationEvent>;

const end = (stopReason: "end_turn" | "max_tokens" = "end_turn"): GenerationEvent => ({
  type: "end",
  stopReason,
  usage: { inputTokens: 4, outputTokens: 2 },
  timeToFirstTokenMs: 3,
  totalTimeMs: 5,
});

function setup(
  script: Script = async function* () {
    yield { type: "text", text: "Hello" };
    yield { type: "text", text: " there" };
    yield end();
  },
) {
  const records: InvocationRecord[] = [];
  const generations: GenerationRequest[] = [];
  const engine: InferenceEngine = {
    generate: (request) => {
      generations.push(request);
      return script(request);
    },
    countTokens: async (_model, prompt) => (prompt.kind === "text" ? prompt.text.length : 10),
    embed: async (_model, texts) => texts.map((text, index) => [text.length, index, 0.5]),
    supportsTools: async () => false,
    contextLength: async () => 256,
    dispose: async () => {},
  };
  const handle = createOpenAiHandler({
    runtime: { resolver, engine, usage: { record: (record) => records.push(record) } },
    catalog,
    logger: silentLogger,
    authenticate: async (request) => {
      const authorization = request.headers.authorization;
      if (authorization === undefined) throw new MissingAuthenticationTokenException();
      if (authorization !== "Bearer good") throw new UnrecognizedClientException("The API key is invalid.");
      return { keyId: "key-1", keyType: "API_KEY", isAdmin: false };
    },
  });
  const call = (method: string, path: string, body?: unknown, authorization: string | null = "Bearer good") =>
    handle({
      method,
      rawPath: path,
      rawQuery: "",
      headers: authorization === null ? {} : { authorization },
      body: new TextEncoder().encode(
        body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
      ),
      requestId: "1234-5678",
      signal: new AbortController().signal,
    } satisfies WireRequest);
  return { call, records, generations };
}

function json(response: WireResponse): Record<string, unknown> {
  return JSON.parse(response.body as string);
}

async function streamText(response: WireResponse): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

function dataEvents(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((event) => event.length > 0)
    .map((event) => event.replace(/^data: /, ""))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}

const chatBody = { model: "local.tiny", messages: [{ role: "user", content: "Hi" }] };

describe("createOpenAiHandler", () => {
  it("answers a missing or wrong key with 401 invalid_api_key", async () => {
    const { call } = setup();
    for (const authorization of [null, "Bearer wrong"]) {
      const response = await call("GET", "/v1/models", undefined, authorization);
      expect(response.status).toBe(401);
      expect(json(response)).toMatchObject({
        error: { type: "invalid_request_error", code: "invalid_api_key" },
      });
    }
  });

  it("answers unknown paths with 404 and wrong methods with 405, in OpenAI's shape", async () => {
    const { call } = setup();
    const unknown = await call("POST", "/v1/assistants", {});
    expect(unknown.status).toBe(404);
    expect(json(unknown)).toEqual({
      error: {
        message: "Invalid URL (POST /v1/assistants)",
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
    expect((await call("GET", "/v1/chat/completions")).status).toBe(405);
  });

  it("lists only the models this host serves, and retrieves one", async () => {
    const { call } = setup();
    const list = await call("GET", "/v1/models");
    expect(json(list)).toEqual({
      object: "list",
      data: [{ id: "local.tiny", object: "model", created: 0, owned_by: "local" }],
    });
    expect(list.operationName).toBe("openai.models.list");
    expect(json(await call("GET", "/v1/models/local.tiny"))).toMatchObject({ id: "local.tiny" });
    expect((await call("GET", "/v1/models/anthropic.claude-v9")).status).toBe(404);
  });

  it("completes a chat and reports the invocation", async () => {
    const { call, records, generations } = setup();
    const response = await call("POST", "/v1/chat/completions", { ...chatBody, temperature: 0, stop: "x" });
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({
      id: "chatcmpl-12345678",
      object: "chat.completion",
      model: "local.tiny",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    });
    // No max_tokens: the rest of the context window (256 minus the 10 prompt tokens).
    expect(generations[0]?.sampling).toEqual({ maxTokens: 246, temperature: 0, stopSequences: ["x"] });
    expect(generations[0]?.prompt).toEqual({ kind: "chat", messages: [{ role: "user", text: "Hi" }] });
    expect(records).toEqual([
      expect.objectContaining({
        operation: "openai.chat.completions",
        requestedModelId: "local.tiny",
        modelId: "local.tiny",
        servedBy: "LOCAL_ENGINE",
        callerKeyId: "key-1",
        inputTokens: 4,
        outputTokens: 2,
        timeToFirstTokenMs: 3,
        status: "success",
      }),
    ]);
  });

  it("streams a chat as server-sent events ending with usage and [DONE]", async () => {
    const { call, records } = setup();
    const response = await call("POST", "/v1/chat/completions", {
      ...chatBody,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream");
    const events = dataEvents(await streamText(response));
    expect(events.at(-1)).toBe("[DONE]");
    expect(events.at(-2)).toMatchObject({ choices: [], usage: { total_tokens: 6 } });
    expect(records).toHaveLength(1);
  });

  it("ends a stream that fails midway with an error event and reports the failure", async () => {
    const { call, records } = setup(async function* () {
      yield { type: "text", text: "Hel" };
      throw new EngineError("internal", "the model fell over");
    });
    const response = await call("POST", "/v1/chat/completions", { ...chatBody, stream: true });
    expect(response.status).toBe(200);
    const events = dataEvents(await streamText(response));
    expect(events).not.toContain("[DONE]");
    expect(events.at(-1)).toEqual({
      error: { message: "the model fell over", type: "server_error", param: null, code: null },
    });
    expect(records).toEqual([expect.objectContaining({ status: "ModelErrorException" })]);
  });

  it("answers a failure before the first token with a real status, not a stream", async () => {
    const { call, records } = setup(async function* () {
      yield* [];
      throw new EngineError("context-overflow", "The input is too long.");
    });
    const response = await call("POST", "/v1/chat/completions", { ...chatBody, stream: true });
    expect(response.status).toBe(400);
    expect(json(response)).toMatchObject({ error: { code: "context_length_exceeded" } });
    expect(records).toEqual([expect.objectContaining({ status: "ValidationException" })]);
  });

  it("refuses images naming the model and the modality", async () => {
    const { call } = setup();
    const response = await call("POST", "/v1/chat/completions", {
      model: "local.tiny",
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }],
    });
    expect(response.status).toBe(400);
    const message = String((json(response).error as { message: string }).message);
    expect(message).toContain("local.tiny");
    expect(message).toContain("image");
  });

  it("refuses tools on a model whose template cannot carry them", async () => {
    const { call } = setup();
    const response = await call("POST", "/v1/chat/completions", {
      ...chatBody,
      tools: [{ type: "function", function: { name: "f" } }],
    });
    expect(response.status).toBe(400);
    expect(json(response)).toMatchObject({ error: { param: "tools" } });
  });

  it("answers unknown and catalog-only models with 404 model_not_found", async () => {
    const { call, records } = setup();
    for (const model of ["acme.nothing", "anthropic.claude-v9"]) {
      const response = await call("POST", "/v1/chat/completions", { ...chatBody, model });
      expect(response.status).toBe(404);
      expect(json(response)).toMatchObject({ error: { code: "model_not_found", param: "model" } });
    }
    expect(records).toEqual([]);
  });

  it("answers a body that is not JSON with 400", async () => {
    const { call } = setup();
    const response = await call("POST", "/v1/chat/completions", "{not json");
    expect(response.status).toBe(400);
    expect(json(response)).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json" } });
  });

  it("completes raw text with echo and OpenAI's default length", async () => {
    const { call, generations, records } = setup();
    const response = await call("POST", "/v1/completions", {
      model: "local.tiny",
      prompt: "Say",
      echo: true,
    });
    expect(json(response)).toMatchObject({
      id: "cmpl-12345678",
      object: "text_completion",
      choices: [{ text: "SayHello there", index: 0, finish_reason: "stop" }],
    });
    expect(generations[0]?.prompt).toEqual({ kind: "text", text: "Say" });
    expect(generations[0]?.sampling.maxTokens).toBe(16);
    expect(records[0]?.operation).toBe("openai.completions");
  });

  it("streams a text completion", async () => {
    const { call } = setup();
    const response = await call("POST", "/v1/completions", {
      model: "local.tiny",
      prompt: "Say",
      stream: true,
    });
    const events = dataEvents(await streamText(response));
    expect(events.at(-1)).toBe("[DONE]");
    const text = events
      .filter((event): event is { choices: { text: string }[] } => typeof event === "object")
      .map((event) => event.choices[0]?.text ?? "")
      .join("");
    expect(text).toBe("Hello there");
  });

  it("embeds as floats or base64 float32", async () => {
    const { call, records } = setup();
    const floats = json(await call("POST", "/v1/embeddings", { model: "local.tiny", input: ["ab", "cde"] }));
    expect(floats).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [2, 0, 0.5] },
        { object: "embedding", index: 1, embedding: [3, 1, 0.5] },
      ],
      model: "local.tiny",
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    const encoded = json(
      await call("POST", "/v1/embeddings", { model: "local.tiny", input: "ab", encoding_format: "base64" }),
    );
    const base64 = (encoded.data as { embedding: string }[])[0]?.embedding ?? "";
    const bytes = Buffer.from(base64, "base64");
    expect([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)]).toEqual([2, 0, 0.5]);
    expect(records.map((record) => record.operation)).toEqual(["openai.embeddings", "openai.embeddings"]);
    const wrongSize = await call("POST", "/v1/embeddings", {
      model: "local.tiny",
      input: "ab",
      dimensions: 8,
    });
    expect(wrongSize.status).toBe(400);
  });
});
