import { describe, expect, it } from "vitest";
import type { GenerationEvent } from "../engine/inference-engine.js";
import { createNovaStream, novaResponseBody, parseNovaRequest } from "./amazon-nova.js";
import type { GenerationEnd } from "./native-family.js";

const end = (overrides: Partial<GenerationEnd> = {}): GenerationEnd => ({
  type: "end",
  stopReason: "end_turn",
  usage: { inputTokens: 10, outputTokens: 3 },
  timeToFirstTokenMs: 5,
  totalTimeMs: 20,
  ...overrides,
});

describe("parseNovaRequest", () => {
  it("reads messages, system and inferenceConfig", () => {
    expect(
      parseNovaRequest({
        schemaVersion: "messages-v1",
        system: [{ text: "Be brief." }],
        messages: [
          { role: "user", content: [{ text: "Hello" }] },
          { role: "assistant", content: [{ text: "Hi." }] },
          { role: "user", content: [{ text: "Again" }, { cachePoint: { type: "default" } }] },
        ],
        inferenceConfig: { maxTokens: 64, temperature: 0.7, topP: 0.9, topK: 50, stopSequences: ["END"] },
      }),
    ).toEqual({
      ok: true,
      prompt: {
        kind: "chat",
        system: "Be brief.",
        messages: [
          { role: "user", text: "Hello" },
          { role: "assistant", text: "Hi." },
          { role: "user", text: "Again" },
        ],
      },
      sampling: { maxTokens: 64, temperature: 0.7, topP: 0.9, topK: 50, stopSequences: ["END"] },
    });
  });

  it("takes max_new_tokens as well as maxTokens, and defaults to 512", () => {
    const messages = [{ role: "user", content: [{ text: "Hi" }] }];
    expect(parseNovaRequest({ messages, inferenceConfig: { max_new_tokens: 20 } })).toMatchObject({
      ok: true,
      sampling: { maxTokens: 20 },
    });
    expect(parseNovaRequest({ messages })).toMatchObject({ ok: true, sampling: { maxTokens: 512 } });
  });

  it("reads toolConfig, toolUse and toolResult blocks", () => {
    const parsed = parseNovaRequest({
      messages: [
        { role: "user", content: [{ text: "Weather?" }] },
        {
          role: "assistant",
          content: [{ toolUse: { toolUseId: "t1", name: "weather", input: { city: "Oslo" } } }],
        },
        {
          role: "user",
          content: [{ toolResult: { toolUseId: "t1", content: [{ json: { c: 3 } }], status: "error" } }],
        },
      ],
      toolConfig: {
        tools: [{ toolSpec: { name: "weather", inputSchema: { json: { type: "object" } } } }],
        toolChoice: { any: {} },
      },
    });
    expect(parsed).toMatchObject({
      ok: true,
      prompt: {
        tools: [{ name: "weather", inputSchema: { type: "object" } }],
        toolChoice: { kind: "any" },
        messages: [
          { role: "user", text: "Weather?" },
          {
            role: "assistant",
            text: "",
            toolCalls: [{ id: "t1", name: "weather", input: { city: "Oslo" } }],
          },
          { role: "tool", toolCallId: "t1", toolName: "weather", result: '{"c":3}', isError: true },
        ],
      },
    });
  });

  const messages = [{ role: "user", content: [{ text: "Hi" }] }];
  it.each([
    [{}, "messages is required (a list)."],
    [{ messages: [{ role: "user", content: "Hi" }] }, 'messages[0].content must be a list, got "Hi".'],
    [
      { messages: [{ role: "user", content: [{ image: { format: "png" } }] }] },
      "messages[0].content[0].image is not supported: local models take text only.",
    ],
    [
      { messages, inferenceConfig: { maxTokens: 20_000 } },
      "inferenceConfig.maxTokens must be an integer from 1 to 10000, got 20000.",
    ],
    [
      { messages, inferenceConfig: { maxTokens: 5, max_new_tokens: 5 } },
      "inferenceConfig takes maxTokens or max_new_tokens, not both.",
    ],
    [{ messages, inferenceConfig: { topP: 2 } }, "inferenceConfig.topP must be a number from 0 to 1, got 2."],
    [
      { messages, inferenceConfig: { topK: -1 } },
      "inferenceConfig.topK must be an integer of at least 0, got -1.",
    ],
    [{ messages, system: [{ other: 1 }] }, 'system[0] must be a {"text": string} block.'],
    [{ messages, schemaVersion: "v2" }, 'schemaVersion must be "messages-v1", got "v2".'],
  ])("refuses %j", (body, message) => {
    expect(parseNovaRequest(body)).toEqual({ ok: false, message });
  });

  it("limits maxTokens to the model's output limit when the catalog knows it", () => {
    expect(
      parseNovaRequest({ messages, inferenceConfig: { maxTokens: 6000 } }, { maxOutputTokens: 5000 }),
    ).toEqual({
      ok: false,
      message: "inferenceConfig.maxTokens must be an integer from 1 to 5000, got 6000.",
    });
  });
});

describe("novaResponseBody", () => {
  it("answers output.message, stopReason and usage with the total", () => {
    expect(
      novaResponseBody({ text: "Hello", toolCalls: [], end: end({ stopReason: "max_tokens" }) }),
    ).toEqual({
      output: { message: { role: "assistant", content: [{ text: "Hello" }] } },
      stopReason: "max_tokens",
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
    });
  });

  it("answers toolUse blocks", () => {
    const call = { id: "t1", name: "weather", input: { city: "Oslo" } };
    expect(
      novaResponseBody({ text: "", toolCalls: [call], end: end({ stopReason: "tool_use" }) }),
    ).toMatchObject({
      output: {
        message: { content: [{ toolUse: { toolUseId: "t1", name: "weather", input: { city: "Oslo" } } }] },
      },
      stopReason: "tool_use",
    });
  });
});

describe("createNovaStream", () => {
  it("emits Nova's converse-like chunks", () => {
    const stream = createNovaStream({ modelId: "amazon.nova-micro-v1:0", requestId: "r", inputTokens: 10 });
    const events: GenerationEvent[] = [
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
      { type: "toolCall", toolCall: { id: "t1", name: "weather", input: { city: "Oslo" } } },
      end({ stopReason: "tool_use" }),
    ];
    expect(events.flatMap((event) => stream.translate(event))).toEqual([
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { delta: { text: "Hel" }, contentBlockIndex: 0 } },
      { contentBlockDelta: { delta: { text: "lo" }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      {
        contentBlockStart: { start: { toolUse: { toolUseId: "t1", name: "weather" } }, contentBlockIndex: 1 },
      },
      { contentBlockDelta: { delta: { toolUse: { input: '{"city":"Oslo"}' } }, contentBlockIndex: 1 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: "tool_use" } },
      { metadata: { usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 } } },
    ]);
  });
});
