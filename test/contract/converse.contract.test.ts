// Converse and ConverseStream on a real local model (llama.cpp) through the unmodified, default (h2c)
// @aws-sdk/client-bedrock-runtime client, and a Bedrock model id served offline through an alias.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";
// An embedding model: the catalog says it does not stream, whatever serves it.
const titanEmbeddings = "amazon.titan-embed-text-v2:0";
let strata: TestStrata;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  strata = await startTestStrata({
    aliases: { [haiku]: "local.test-tiny", [titanEmbeddings]: "local.test-tiny" },
    sequencesPerModel: 4,
  });
  await registerTestModel(strata, "local.test-tiny");
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

const hello = [{ role: "user" as const, content: [{ text: "Hello, how are you?" }] }];

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

describe("Converse", () => {
  it("generates with a system prompt and multi-turn messages, reporting usage and latency", async () => {
    const response = await runtime.send(
      new ConverseCommand({
        modelId: "local.test-tiny",
        system: [{ text: "You are terse." }],
        messages: [
          { role: "user", content: [{ text: "Hi" }] },
          { role: "assistant", content: [{ text: "Hello." }] },
          { role: "user", content: [{ text: "Tell me about the Union." }] },
        ],
        inferenceConfig: { maxTokens: 12, temperature: 0 },
      }),
    );
    expect(response.output?.message?.role).toBe("assistant");
    expect(typeof response.output?.message?.content?.[0]?.text).toBe("string");
    expect(["end_turn", "max_tokens"]).toContain(response.stopReason);
    expect(response.usage?.inputTokens).toBeGreaterThan(10);
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
    expect(response.usage?.outputTokens).toBeLessThanOrEqual(12);
    expect(response.usage?.totalTokens).toBe(
      (response.usage?.inputTokens ?? 0) + (response.usage?.outputTokens ?? 0),
    );
    expect(response.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("is deterministic with temperature 0, and with a seed", async () => {
    const request = {
      modelId: "local.test-tiny",
      messages: hello,
      inferenceConfig: { maxTokens: 16, temperature: 0 },
    };
    const first = await runtime.send(new ConverseCommand(request));
    const second = await runtime.send(new ConverseCommand(request));
    expect(second.output?.message?.content?.[0]?.text).toBe(first.output?.message?.content?.[0]?.text);
    const seeded = {
      modelId: "local.test-tiny",
      messages: hello,
      inferenceConfig: { maxTokens: 16, temperature: 0.9 },
      additionalModelRequestFields: { seed: 42, top_k: 40 },
    };
    const third = await runtime.send(new ConverseCommand(seeded));
    const fourth = await runtime.send(new ConverseCommand(seeded));
    expect(fourth.output?.message?.content?.[0]?.text).toBe(third.output?.message?.content?.[0]?.text);
  });

  it("stops at maxTokens with stopReason max_tokens", async () => {
    const response = await runtime.send(
      new ConverseCommand({
        modelId: "local.test-tiny",
        messages: hello,
        inferenceConfig: { maxTokens: 3, temperature: 0.8 },
      }),
    );
    if (response.stopReason === "max_tokens") expect(response.usage?.outputTokens).toBe(3);
    else expect(response.usage?.outputTokens).toBeLessThanOrEqual(3);
  });

  it("calls a tool when the tool choice requires it, with input valid for its schema", async () => {
    const response = await runtime.send(
      new ConverseCommand({
        modelId: "local.test-tiny",
        messages: [{ role: "user", content: [{ text: "What is the weather in Paris?" }] }],
        inferenceConfig: { maxTokens: 64, temperature: 0 },
        toolConfig: {
          tools: [
            {
              toolSpec: {
                name: "get_weather",
                description: "Current weather for a city",
                inputSchema: {
                  json: {
                    type: "object",
                    properties: {
                      city: { enum: ["Paris", "Berlin"] },
                      unit: { enum: ["celsius", "fahrenheit"] },
                    },
                    required: ["city", "unit"],
                  },
                },
              },
            },
          ],
          toolChoice: { tool: { name: "get_weather" } },
        },
      }),
    );
    expect(response.stopReason).toBe("tool_use");
    const toolUse = response.output?.message?.content?.find((block) => block.toolUse)?.toolUse;
    expect(toolUse?.name).toBe("get_weather");
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
    const input = toolUse?.input as { city: string; unit: string };
    expect(["Paris", "Berlin"]).toContain(input.city);
    expect(["celsius", "fahrenheit"]).toContain(input.unit);
  });

  it("serves a Bedrock model id through its alias", async () => {
    const response = await runtime.send(
      new ConverseCommand({
        modelId: haiku,
        messages: hello,
        inferenceConfig: { maxTokens: 4, temperature: 0 },
      }),
    );
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
  });
});

describe("Converse errors", () => {
  it("refuses an image for a text-only model, naming the model and the modality", async () => {
    const error = await runtime
      .send(
        new ConverseCommand({
          modelId: "local.test-tiny",
          messages: [
            {
              role: "user",
              content: [{ image: { format: "png", source: { bytes: new Uint8Array([137, 80, 78, 71]) } } }],
            },
          ],
        }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect(String((error as Error).message)).toContain("local.test-tiny does not accept IMAGE input");
  });

  it("refuses maxTokens out of range with the allowed range", async () => {
    const error = await runtime
      .send(
        new ConverseCommand({
          modelId: "local.test-tiny",
          messages: hello,
          inferenceConfig: { maxTokens: 100_000 },
        }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException" });
    expect(String((error as Error).message)).toMatch(
      /maxTokens 100000 is out of range for local\.test-tiny: it allows 1 to \d+/,
    );
  });
});

describe("ConverseStream errors", () => {
  it("refuses streaming to a model without streaming support", async () => {
    const error = await runtime
      .send(new ConverseStreamCommand({ modelId: titanEmbeddings, messages: hello }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: "ValidationException",
      message: `The model ${titanEmbeddings} is unsupported for streaming.`,
    });
  });

  it("refuses a catalog-only model as one without access", async () => {
    const error = await runtime
      .send(new ConverseStreamCommand({ modelId: "amazon.nova-micro-v1:0", messages: hello }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
  });
});

describe("ConverseStream", () => {
  it("streams Bedrock's event sequence, ending in metadata with usage", async () => {
    const response = await runtime.send(
      new ConverseStreamCommand({
        modelId: "local.test-tiny",
        messages: hello,
        inferenceConfig: { maxTokens: 10, temperature: 0 },
      }),
    );
    const events = await collect(response.stream);
    const kinds = events.map((event) =>
      Object.keys(event).find((key) => (event as unknown as Record<string, unknown>)[key] !== undefined),
    );
    expect(kinds[0]).toBe("messageStart");
    expect(kinds.at(-1)).toBe("metadata");
    expect(kinds.at(-2)).toBe("messageStop");
    expect(kinds.filter((kind) => kind === "contentBlockDelta").length).toBeGreaterThan(0);
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? "").join("");
    const whole = await runtime.send(
      new ConverseCommand({
        modelId: "local.test-tiny",
        messages: hello,
        inferenceConfig: { maxTokens: 10, temperature: 0 },
      }),
    );
    expect(text).toBe(whole.output?.message?.content?.[0]?.text);
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage?.outputTokens).toBe(whole.usage?.outputTokens);
    expect(metadata?.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("completes 16 concurrent streams, each with its own correct usage", async () => {
    const streams = Array.from({ length: 16 }, (_, index) =>
      runtime
        .send(
          new ConverseStreamCommand({
            modelId: "local.test-tiny",
            messages: [
              { role: "user", content: [{ text: `Request number ${index}: ${"word ".repeat(index)}` }] },
            ],
            inferenceConfig: { maxTokens: 8 + (index % 4), temperature: 0 },
          }),
        )
        .then((response) => collect(response.stream)),
    );
    const results = await Promise.all(streams);
    for (const [index, events] of results.entries()) {
      const usage = events.at(-1)?.metadata?.usage;
      const deltas = events.filter((event) => event.contentBlockDelta).length;
      expect(usage?.outputTokens, `stream ${index}`).toBeGreaterThan(0);
      expect(usage?.outputTokens, `stream ${index}`).toBeLessThanOrEqual(8 + (index % 4));
      expect(deltas).toBeGreaterThan(0);
    }
    const inputs = results.map((events) => events.at(-1)?.metadata?.usage?.inputTokens ?? 0);
    expect(inputs[15]).toBeGreaterThan(inputs[0] ?? 0);
  });
});
