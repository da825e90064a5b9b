// The operations against a scripted engine: what they answer, what they refuse, when an error is an HTTP error
// and when an exception frame, and what reaches the usage ledger. The real engine and server are exercised by
// test/contract/invoke-model.contract.test.ts.
import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../catalog/catalog.js";
import type { RequestContext } from "../../protocol/dispatcher.js";
import type {
  CountTokensRequest,
  CountTokensResponse,
  InvokeModelRequest,
  InvokeModelResponse,
  InvokeModelWithResponseStreamRequest,
  InvokeModelWithResponseStreamResponse,
} from "../../protocol/generated/bedrock-runtime-types.js";
import type { InvocationRecord } from "../../usage/invocation-record.js";
import {
  EngineError,
  type GenerationEvent,
  type GenerationRequest,
  type InferenceEngine,
} from "../engine/inference-engine.js";
import type { RuntimeModelResolver, RuntimeTarget } from "../resolve-runtime-model.js";
import { invokeModelOperations } from "./invoke-model-operations.js";

function catalogEntry(modelId: string, servedBy: "LOCAL_ENGINE" | "PASS_THROUGH"): CatalogEntry {
  const modelArn = `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`;
  return {
    model: {
      modelId,
      modelArn,
      providerName: "Strata",
      servedBy,
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ["ON_DEMAND"],
      lifecycleStatus: "ACTIVE",
    },
    summary: { modelArn, modelId },
  };
}

const localTarget: RuntimeTarget = {
  kind: "local",
  entry: catalogEntry("strata.tiny", "LOCAL_ENGINE"),
  engineModel: { modelId: "strata.tiny", filePath: "/models/tiny.gguf" },
};

const end: Extract<GenerationEvent, { type: "end" }> = {
  type: "end",
  stopReason: "end_turn",
  usage: { inputTokens: 6, outputTokens: 2 },
  timeToFirstTokenMs: 3,
  totalTimeMs: 9,
};

interface Script {
  events?: GenerationEvent[];
  /** Thrown by the generation after the scripted events (or before any, when events is empty). */
  failure?: Error;
  tools?: boolean;
  target?: RuntimeTarget;
}

function setUp(script: Script = {}) {
  const requests: GenerationRequest[] = [];
  const records: InvocationRecord[] = [];
  let closed = false;
  const engine: InferenceEngine = {
    async *generate(request) {
      requests.push(request);
      try {
        for (const event of script.events ?? [{ type: "text", text: "Hi" }, { type: "text", text: "!" }, end])
          yield event;
        if (script.failure) throw script.failure;
      } finally {
        closed = true;
      }
    },
    countTokens: async (_model, prompt) =>
      prompt.kind === "text" ? prompt.text.length : prompt.messages.length + 40,
    embed: async () => [],
    supportsTools: async () => script.tools ?? true,
    contextLength: async () => 256,
    dispose: async () => undefined,
  };
  const resolver = { resolve: async () => script.target ?? localTarget } as unknown as RuntimeModelResolver;
  const handlers = invokeModelOperations({
    resolver,
    engine,
    usage: { record: (record) => records.push(record) },
  });
  const context = (operationName: string): RequestContext => ({
    requestId: "0a1b-2c3d",
    caller: { keyId: "AKIDTEST", keyType: "ACCESS_KEY", isAdmin: false },
    operationName,
    signal: new AbortController().signal,
  });
  const call = <Input, Output>(name: string, input: Input): Promise<Output> =>
    (handlers[name] as unknown as (context: RequestContext, input: Input) => Promise<Output>)(
      context(name),
      input,
    );
  return {
    requests,
    records,
    isClosed: () => closed,
    invoke: (input: InvokeModelRequest) =>
      call<InvokeModelRequest, InvokeModelResponse>("InvokeModel", input),
    stream: (input: InvokeModelWithResponseStreamRequest) =>
      call<InvokeModelWithResponseStreamRequest, InvokeModelWithResponseStreamResponse>(
        "InvokeModelWithResponseStream",
        input,
      ),
    countTokens: (input: CountTokensRequest) =>
      call<CountTokensRequest, CountTokensResponse>("CountTokens", input),
  };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) =>
  JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

async function chunksOf(response: InvokeModelWithResponseStreamResponse): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[] = [];
  for await (const event of response.body) chunks.push(decode(event.chunk?.bytes));
  return chunks;
}

describe("InvokeModel", () => {
  it("answers the family's JSON and records the invocation", async () => {
    const test = setUp();
    const response = await test.invoke({
      modelId: "strata.tiny",
      body: json({ prompt: "Hello", max_gen_len: 20 }),
      contentType: "application/octet-stream",
    });
    expect(response.contentType).toBe("application/json");
    expect(decode(response.body)).toEqual({
      generation: "Hi!",
      prompt_token_count: 6,
      generation_token_count: 2,
      stop_reason: "stop",
    });
    expect(test.requests[0]).toMatchObject({
      model: { modelId: "strata.tiny" },
      prompt: { kind: "text", text: "Hello" },
      sampling: { maxTokens: 20 },
    });
    expect(test.records).toEqual([
      expect.objectContaining({
        requestId: "0a1b-2c3d",
        requestedModelId: "strata.tiny",
        modelId: "strata.tiny",
        servedBy: "LOCAL_ENGINE",
        operation: "InvokeModel",
        callerKeyId: "AKIDTEST",
        inputTokens: 6,
        outputTokens: 2,
        timeToFirstTokenMs: 3,
        status: "success",
      }),
    ]);
  });

  it("answers an Anthropic body on a local model in Anthropic's format", async () => {
    const test = setUp();
    const response = await test.invoke({
      modelId: "strata.tiny",
      body: json({
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 5,
        messages: [{ role: "user", content: "Hi" }],
      }),
      contentType: "application/json",
    });
    expect(decode(response.body)).toMatchObject({
      id: "msg_bdrk_0a1b2c3d",
      type: "message",
      model: "strata.tiny",
      content: [{ type: "text", text: "Hi!" }],
      usage: { input_tokens: 6, output_tokens: 2 },
    });
  });

  it.each([
    [{ body: new TextEncoder().encode("{not json") }, /^Malformed input request: the body is not valid JSON/],
    [{ body: undefined }, /^Malformed input request: the body is empty/],
    [{ body: json({ prompt: "x" }), contentType: "text/plain" }, /content type text\/plain is not supported/],
    [{ body: json({ prompt: "x" }), accept: "text/html" }, /Accept header text\/html is not supported/],
    [
      { body: json({ prompt: "x", max_gen_len: 5000 }) },
      "Malformed input request: max_gen_len must be an integer from 1 to 2048, got 5000.",
    ],
  ])("refuses %j with a ValidationException", async (request, message) => {
    const test = setUp();
    const error = await test
      .invoke({ modelId: "strata.tiny", ...request })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", statusCode: 400 });
    expect((error as Error).message).toMatch(message);
    expect(test.records).toEqual([
      expect.objectContaining({ status: "ValidationException", inputTokens: 0 }),
    ]);
  });

  it("answers an engine's context overflow as Bedrock's input-too-long ValidationException", async () => {
    const test = setUp({
      events: [],
      failure: new EngineError("context-overflow", "The input is 300 tokens."),
    });
    await expect(test.invoke({ modelId: "strata.tiny", body: json({ prompt: "x" }) })).rejects.toMatchObject({
      name: "ValidationException",
      message: "Input is too long for requested model. The input is 300 tokens.",
    });
  });

  it("refuses tools on a model whose chat template cannot carry them", async () => {
    const test = setUp({ tools: false });
    const body = json({
      messages: [{ role: "user", content: [{ text: "Hi" }] }],
      toolConfig: { tools: [{ toolSpec: { name: "echo", inputSchema: { json: { type: "object" } } } }] },
    });
    await expect(test.invoke({ modelId: "strata.tiny", body })).rejects.toThrow(/does not support tool use/);
  });

  it("answers a pass-through target with a 501 until pass-through exists", async () => {
    const test = setUp({
      target: {
        kind: "pass-through",
        entry: catalogEntry("amazon.nova-micro-v1:0", "PASS_THROUGH"),
        bedrockModelId: "amazon.nova-micro-v1:0",
      },
    });
    await expect(test.invoke({ modelId: "amazon.nova-micro-v1:0", body: json({}) })).rejects.toMatchObject({
      errorType: "NotImplementedException",
      statusCode: 501,
    });
    expect(test.records[0]).toMatchObject({ servedBy: "PASS_THROUGH", status: "NotImplementedException" });
  });
});

describe("InvokeModelWithResponseStream", () => {
  it("streams the family's chunks with the invocation metrics in the last one", async () => {
    const test = setUp();
    const response = await test.stream({
      modelId: "strata.tiny",
      body: json({ messages: [{ role: "user", content: [{ text: "Hi" }] }] }),
    });
    expect(response.contentType).toBe("application/json");
    const chunks = await chunksOf(response);
    expect(chunks.map((chunk) => Object.keys(chunk)[0])).toEqual([
      "messageStart",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    expect(chunks.at(-1)?.["amazon-bedrock-invocationMetrics"]).toEqual({
      inputTokenCount: 6,
      outputTokenCount: 2,
      invocationLatency: expect.any(Number),
      firstByteLatency: expect.any(Number),
    });
    expect(chunks.slice(0, -1).some((chunk) => "amazon-bedrock-invocationMetrics" in chunk)).toBe(false);
    expect(test.records).toEqual([
      expect.objectContaining({
        operation: "InvokeModelWithResponseStream",
        status: "success",
        outputTokens: 2,
      }),
    ]);
    // The engine frees its sequence only when its generator finishes, also after the end event.
    expect(test.isClosed()).toBe(true);
  });

  it("reports the prompt's tokens in Llama's first chunk before the generation ends", async () => {
    const test = setUp();
    const chunks = await chunksOf(
      await test.stream({ modelId: "strata.tiny", body: json({ prompt: "Hello" }) }),
    );
    expect(chunks[0]).toEqual({
      generation: "Hi",
      prompt_token_count: 5,
      generation_token_count: 1,
      stop_reason: null,
    });
    expect(chunks.at(-1)).toMatchObject({ stop_reason: "stop", generation_token_count: 2 });
  });

  it("fails before the stream begins as an ordinary error", async () => {
    const test = setUp({ events: [], failure: new EngineError("model-load", "llama.cpp could not load it") });
    await expect(test.stream({ modelId: "strata.tiny", body: json({ prompt: "x" }) })).rejects.toMatchObject({
      name: "ModelErrorException",
      statusCode: 424,
    });
    expect(test.records[0]).toMatchObject({ status: "ModelErrorException" });
  });

  it("fails mid-stream with modelStreamErrorException", async () => {
    const test = setUp({
      events: [{ type: "text", text: "Hi" }],
      failure: new EngineError("internal", "llama.cpp generation failed"),
    });
    const response = await test.stream({ modelId: "strata.tiny", body: json({ inputText: "x" }) });
    const error = await chunksOf(response).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      errorType: "ModelStreamErrorException",
      extraMembers: { originalStatusCode: 500, originalMessage: "llama.cpp generation failed" },
    });
    expect(test.records[0]).toMatchObject({ status: "ModelStreamErrorException" });
  });

  it("stops the generation and records the invocation when the client stops reading", async () => {
    const test = setUp();
    const response = await test.stream({ modelId: "strata.tiny", body: json({ prompt: "x" }) });
    for await (const _event of response.body) break;
    expect(test.isClosed()).toBe(true);
    expect(test.records[0]).toMatchObject({ status: "ClientClosedRequest" });
  });
});

describe("CountTokens", () => {
  it("counts a native InvokeModel body", async () => {
    const test = setUp();
    await expect(
      test.countTokens({
        modelId: "strata.tiny",
        input: { invokeModel: { body: json({ inputText: "12345678" }) } },
      }),
    ).resolves.toEqual({ inputTokens: 8 });
  });

  it("counts a Converse conversation as the engine's chat prompt", async () => {
    const test = setUp();
    await expect(
      test.countTokens({
        modelId: "strata.tiny",
        input: { converse: { messages: [{ role: "user", content: [{ text: "Hi" }] }] } },
      }),
    ).resolves.toEqual({ inputTokens: 41 });
  });

  it("names the bad field of a Converse conversation", async () => {
    const test = setUp();
    await expect(
      test.countTokens({ modelId: "strata.tiny", input: { converse: { messages: [] } } }),
    ).rejects.toThrow("input.converse: messages must hold at least 1 item.");
  });
});
