// InvokeModel, InvokeModelWithResponseStream and CountTokens with the four native body formats on a real local
// model (llama.cpp), through the unmodified, default (h2c) @aws-sdk/client-bedrock-runtime client. The local
// model has no family of its own, so each body is recognised by its shape; a Bedrock id served through an
// alias takes its own family's format.
import {
  BedrockRuntimeClient,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const modelId = "local.test-tiny";
const llamaAlias = "meta.llama3-1-8b-instruct-v1:0";
let strata: TestStrata;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  strata = await startTestStrata({ aliases: { [llamaAlias]: modelId }, sequencesPerModel: 4 });
  await registerTestModel(strata, modelId);
  runtime = new BedrockRuntimeClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  runtime?.destroy();
  await strata?.stop();
});

const bodies = {
  llama: { prompt: "The Union is", max_gen_len: 8, temperature: 0 },
  anthropic: {
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 8,
    temperature: 0,
    system: "You are terse.",
    messages: [{ role: "user", content: [{ type: "text", text: "Tell me about the Union." }] }],
  },
  nova: {
    system: [{ text: "You are terse." }],
    messages: [{ role: "user" as const, content: [{ text: "Tell me about the Union." }] }],
    inferenceConfig: { maxTokens: 8, temperature: 0 },
  },
  titan: {
    inputText: "User: Tell me about the Union.\nBot:",
    textGenerationConfig: { maxTokenCount: 8, temperature: 0 },
  },
};

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) =>
  JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

async function invoke(body: unknown, id = modelId): Promise<Record<string, unknown>> {
  const response = await runtime.send(new InvokeModelCommand({ modelId: id, body: encode(body) }));
  expect(response.contentType).toBe("application/json");
  return decode(response.body);
}

async function invokeStream(body: unknown): Promise<Record<string, unknown>[]> {
  const response = await runtime.send(
    new InvokeModelWithResponseStreamCommand({
      modelId,
      body: encode(body),
      contentType: "application/json",
    }),
  );
  expect(response.contentType).toBe("application/json");
  const chunks: Record<string, unknown>[] = [];
  for await (const event of response.body ?? [])
    if (event.chunk?.bytes) chunks.push(decode(event.chunk.bytes));
  return chunks;
}

function expectMetricsOnlyInLast(chunks: Record<string, unknown>[]): void {
  const key = "amazon-bedrock-invocationMetrics";
  expect(chunks.slice(0, -1).filter((chunk) => key in chunk)).toEqual([]);
  const metrics = chunks.at(-1)?.[key] as Record<string, number>;
  expect(metrics).toEqual({
    inputTokenCount: expect.any(Number),
    outputTokenCount: expect.any(Number),
    invocationLatency: expect.any(Number),
    firstByteLatency: expect.any(Number),
  });
  expect(metrics.inputTokenCount).toBeGreaterThan(0);
  expect(metrics.outputTokenCount).toBeGreaterThan(0);
  expect(metrics.outputTokenCount).toBeLessThanOrEqual(8);
  expect(metrics.firstByteLatency).toBeLessThanOrEqual(metrics.invocationLatency ?? 0);
}

describe("InvokeModel", () => {
  it("answers a Meta Llama body in Llama's format", async () => {
    const body = await invoke(bodies.llama);
    expect(body).toEqual({
      generation: expect.any(String),
      prompt_token_count: expect.any(Number),
      generation_token_count: expect.any(Number),
      stop_reason: expect.stringMatching(/^(stop|length)$/),
    });
    expect(body.generation_token_count).toBeLessThanOrEqual(8);
  });

  it("answers an Anthropic Messages body sent to a local model in Anthropic's format", async () => {
    const body = await invoke(bodies.anthropic);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^msg_bdrk_/),
      type: "message",
      role: "assistant",
      model: modelId,
      content: [{ type: "text", text: expect.any(String) }],
      stop_reason: expect.stringMatching(/^(end_turn|max_tokens)$/),
      stop_sequence: null,
    });
    expect((body.usage as Record<string, number>).input_tokens).toBeGreaterThan(5);
  });

  it("answers an Amazon Nova body in Nova's format", async () => {
    const body = await invoke(bodies.nova);
    expect(body).toMatchObject({
      output: { message: { role: "assistant", content: [{ text: expect.any(String) }] } },
      stopReason: expect.stringMatching(/^(end_turn|max_tokens)$/),
    });
    const usage = body.usage as Record<string, number>;
    expect(usage.totalTokens).toBe((usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
  });

  it("answers an Amazon Titan Text body in Titan's format", async () => {
    const body = await invoke(bodies.titan);
    expect(body).toEqual({
      inputTextTokenCount: expect.any(Number),
      results: [
        {
          tokenCount: expect.any(Number),
          outputText: expect.any(String),
          completionReason: expect.stringMatching(/^(FINISH|LENGTH)$/),
        },
      ],
    });
  });

  it("takes the Llama format on a Bedrock Llama id served through an alias, the same as the local model", async () => {
    expect(await invoke(bodies.llama, llamaAlias)).toEqual(await invoke(bodies.llama));
  });

  it("refuses a body that is not JSON with Bedrock's malformed-input ValidationException", async () => {
    const error = await runtime
      .send(new InvokeModelCommand({ modelId, body: new TextEncoder().encode("{prompt: nope") }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(/^Malformed input request: the body is not valid JSON/);
  });

  it("refuses max_gen_len out of range, naming the field and its range", async () => {
    const error = await runtime
      .send(new InvokeModelCommand({ modelId, body: encode({ prompt: "Hi", max_gen_len: 4096 }) }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toBe(
      "Malformed input request: max_gen_len must be an integer from 1 to 2048, got 4096.",
    );
  });

  it("lists the accepted formats for a body of none of them", async () => {
    const error = await runtime
      .send(new InvokeModelCommand({ modelId, body: encode({ text: "Hi" }) }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException" });
    expect((error as Error).message).toMatch(
      /Anthropic Messages.*Amazon Titan Text.*Meta Llama.*Amazon Nova/,
    );
  });
});

describe("InvokeModelWithResponseStream", () => {
  it("streams Llama chunks, the prompt count first and the stop reason last", async () => {
    const chunks = await invokeStream(bodies.llama);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]?.prompt_token_count).toBeGreaterThan(0);
    expect(chunks.slice(1).every((chunk) => chunk.prompt_token_count === null)).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.stop_reason === null)).toBe(true);
    expect(chunks.at(-1)?.stop_reason).toMatch(/^(stop|length)$/);
    expectMetricsOnlyInLast(chunks);
  });

  it("streams Anthropic's events for an Anthropic body sent to a local model", async () => {
    const chunks = await invokeStream(bodies.anthropic);
    const types = chunks.map((chunk) => chunk.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(1, 3)).toEqual(["content_block_start", "content_block_delta"]);
    expect(types.slice(-4)).toEqual([
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = chunks
      .filter((chunk) => chunk.type === "content_block_delta")
      .map((chunk) => (chunk.delta as { text: string }).text)
      .join("");
    const whole = await invoke(bodies.anthropic);
    expect(text).toBe((whole.content as { text: string }[])[0]?.text);
    expectMetricsOnlyInLast(chunks);
  });

  it("streams Nova's converse-like chunks", async () => {
    const chunks = await invokeStream(bodies.nova);
    const kinds = chunks.map((chunk) =>
      Object.keys(chunk).find((key) => key !== "amazon-bedrock-invocationMetrics"),
    );
    expect(kinds[0]).toBe("messageStart");
    expect(kinds.slice(-3)).toEqual(["contentBlockStop", "messageStop", "metadata"]);
    expect(kinds.slice(1, -3).every((kind) => kind === "contentBlockDelta")).toBe(true);
    expectMetricsOnlyInLast(chunks);
  });

  it("streams Titan chunks with the completion reason last", async () => {
    const chunks = await invokeStream(bodies.titan);
    expect(chunks[0]).toMatchObject({
      index: 0,
      completionReason: null,
      inputTextTokenCount: expect.any(Number),
    });
    expect(chunks.at(-1)?.completionReason).toMatch(/^(FINISH|LENGTH)$/);
    expectMetricsOnlyInLast(chunks);
  });

  it("refuses max_gen_len out of range before streaming, as an ordinary ValidationException", async () => {
    const error = await runtime
      .send(
        new InvokeModelWithResponseStreamCommand({ modelId, body: encode({ prompt: "Hi", max_gen_len: 0 }) }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain("max_gen_len must be an integer from 1 to 2048");
  });
});

describe("CountTokens", () => {
  it("counts a native body as InvokeModel would take it", async () => {
    const counted = await runtime.send(
      new CountTokensCommand({ modelId, input: { invokeModel: { body: encode(bodies.llama) } } }),
    );
    const invoked = await invoke(bodies.llama);
    expect(counted.inputTokens).toBe(invoked.prompt_token_count);
  });

  it("counts a Converse conversation with the model's chat template", async () => {
    const counted = await runtime.send(
      new CountTokensCommand({
        modelId,
        input: { converse: { system: bodies.nova.system, messages: bodies.nova.messages } },
      }),
    );
    const invoked = await invoke(bodies.nova);
    expect(counted.inputTokens).toBe((invoked.usage as Record<string, number>).inputTokens);
  });
});

describe("InvokeModel response headers", () => {
  it("carries Bedrock's token-count and latency headers, which callers read with middleware", async () => {
    const client = new BedrockRuntimeClient({
      endpoint: strata.apiUrl,
      region: "us-east-1",
      credentials: strata.credentials,
      maxAttempts: 1,
    });
    let headers: Record<string, string> = {};
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers = (result.response as { headers: Record<string, string> }).headers;
        return result;
      },
      { step: "deserialize", name: "captureHeaders" },
    );
    const response = await client.send(
      new InvokeModelCommand({
        modelId,
        body: new TextEncoder().encode(JSON.stringify(bodies.llama)),
        contentType: "application/json",
      }),
    );
    const answer = JSON.parse(new TextDecoder().decode(response.body)) as {
      prompt_token_count: number;
      generation_token_count: number;
    };
    expect(headers["x-amzn-bedrock-input-token-count"]).toBe(String(answer.prompt_token_count));
    expect(headers["x-amzn-bedrock-output-token-count"]).toBe(String(answer.generation_token_count));
    expect(Number(headers["x-amzn-bedrock-invocation-latency"])).toBeGreaterThanOrEqual(0);
    client.destroy();
  });
});
