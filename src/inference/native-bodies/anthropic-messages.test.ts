import { describe, expect, it } from "vitest";
import type { GenerationEvent } from "../engine/inference-engine.js";
import { anthropicResponseBody, createAnthropicStream, parseAnthropicRequest } from "./anthropic-messages.js";
import type { GenerationEnd } from "./native-family.js";

const version = "bedrock-2023-05-31";
const end = (overrides: Partial<GenerationEnd> = {}): GenerationEnd => ({
  type: "end",
  stopReason: "end_turn",
  usage: { inputTokens: 12, outputTokens: 4 },
  timeToFirstTokenMs: 5,
  totalTimeMs: 20,
  ...overrides,
});
const weatherTool = {
  name: "get_weather",
  description: "Weather in a city",
  input_schema: { type: "object", properties: { city: { type: "string" } } },
};

describe("parseAnthropicRequest", () => {
  it("reads string and text-block content, system and sampling", () => {
    const parsed = parseAnthropicRequest({
      anthropic_version: version,
      max_tokens: 100,
      system: "Be brief.",
      messages: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: [{ type: "text", text: "Hi." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather?" },
            { type: "text", text: "In Paris." },
          ],
        },
      ],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 40,
      stop_sequences: ["\n\nHuman:"],
    });
    expect(parsed).toEqual({
      ok: true,
      prompt: {
        kind: "chat",
        system: "Be brief.",
        messages: [
          { role: "user", text: "Hello" },
          { role: "assistant", text: "Hi." },
          { role: "user", text: "Weather?\nIn Paris." },
        ],
      },
      sampling: { maxTokens: 100, temperature: 0.3, topP: 0.8, topK: 40, stopSequences: ["\n\nHuman:"] },
    });
  });

  it("reads tools, tool_choice, tool_use and tool_result blocks", () => {
    const parsed = parseAnthropicRequest({
      anthropic_version: version,
      max_tokens: 50,
      system: [{ type: "text", text: "Use tools." }],
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: [{ type: "text", text: "18C" }],
              is_error: false,
            },
            { type: "text", text: "Thanks" },
          ],
        },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      prompt: {
        kind: "chat",
        system: "Use tools.",
        tools: [
          { name: "get_weather", description: "Weather in a city", inputSchema: weatherTool.input_schema },
        ],
        toolChoice: { kind: "tool", name: "get_weather" },
        messages: [
          { role: "user", text: "Weather in Paris?" },
          {
            role: "assistant",
            text: "",
            toolCalls: [{ id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
          },
          { role: "tool", toolCallId: "toolu_1", toolName: "get_weather", result: "18C" },
          { role: "user", text: "Thanks" },
        ],
      },
      sampling: { maxTokens: 50 },
    });
  });

  it("keeps the tools out of the prompt for tool_choice none", () => {
    const parsed = parseAnthropicRequest({
      anthropic_version: version,
      max_tokens: 5,
      tools: [weatherTool],
      tool_choice: { type: "none" },
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(parsed).toEqual({
      ok: true,
      prompt: { kind: "chat", messages: [{ role: "user", text: "Hi" }] },
      sampling: { maxTokens: 5 },
    });
  });

  it("limits max_tokens to the model's output limit when the catalog knows it", () => {
    const body = {
      anthropic_version: version,
      max_tokens: 9000,
      messages: [{ role: "user", content: "Hi" }],
    };
    expect(parseAnthropicRequest(body, { maxOutputTokens: 8192 })).toEqual({
      ok: false,
      message: "max_tokens must be an integer from 1 to 8192, got 9000.",
    });
  });

  const valid = { anthropic_version: version, max_tokens: 10, messages: [{ role: "user", content: "Hi" }] };
  it.each([
    [
      { ...valid, anthropic_version: undefined },
      'anthropic_version is required and must be "bedrock-2023-05-31".',
    ],
    [
      { ...valid, anthropic_version: "2023-06-01" },
      'anthropic_version must be "bedrock-2023-05-31", got "2023-06-01".',
    ],
    [{ ...valid, max_tokens: undefined }, "max_tokens is required (an integer of at least 1)."],
    [{ ...valid, max_tokens: 0 }, "max_tokens must be an integer of at least 1, got 0."],
    [{ ...valid, temperature: 2 }, "temperature must be a number from 0 to 1, got 2."],
    [{ ...valid, top_k: 501 }, "top_k must be an integer from 0 to 500, got 501."],
    [{ ...valid, messages: [] }, "messages must hold at least 1 item."],
    [
      { ...valid, messages: [{ role: "system", content: "x" }] },
      'messages[0].role must be "user" or "assistant", got "system".',
    ],
    [
      { ...valid, messages: [{ role: "user", content: [{ type: "image", source: {} }] }] },
      'messages[0].content[0].type "image" is not supported: local models take text only.',
    ],
    [
      {
        ...valid,
        messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "x", content: "r" }] }],
      },
      'messages[0].content[0].tool_use_id "x" names no tool_use block of an earlier message.',
    ],
    [{ ...valid, tool_choice: { type: "any" } }, "tool_choice needs tools."],
    [
      { ...valid, tools: [weatherTool], tool_choice: { type: "tool", name: "other" } },
      'tool_choice.name "other" names no tool in tools.',
    ],
    [{ ...valid, tools: [{ name: "x" }] }, "tools[0].input_schema must be a JSON object, got undefined."],
  ])("refuses %j", (body, message) => {
    expect(parseAnthropicRequest(body)).toEqual({ ok: false, message });
  });
});

describe("anthropicResponseBody", () => {
  const context = { modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", requestId: "1234-abcd" };

  it("answers a Messages object", () => {
    expect(anthropicResponseBody({ text: "Hello!", toolCalls: [], end: end() }, context)).toEqual({
      id: "msg_bdrk_1234abcd",
      type: "message",
      role: "assistant",
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      content: [{ type: "text", text: "Hello!" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 4 },
    });
  });

  it("answers tool_use blocks and the stop sequence", () => {
    const call = { id: "toolu_1", name: "get_weather", input: { city: "Paris" } };
    expect(
      anthropicResponseBody({ text: "", toolCalls: [call], end: end({ stopReason: "tool_use" }) }, context),
    ).toMatchObject({ content: [{ type: "tool_use", ...call }], stop_reason: "tool_use" });
    expect(
      anthropicResponseBody(
        { text: "a", toolCalls: [], end: end({ stopReason: "stop_sequence", stopSequence: "END" }) },
        context,
      ),
    ).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "END" });
  });
});

describe("createAnthropicStream", () => {
  it("emits Anthropic's streaming events in order", () => {
    const stream = createAnthropicStream({ modelId: "m", requestId: "r-1", inputTokens: 12 });
    const events: GenerationEvent[] = [
      { type: "text", text: "Let me check" },
      { type: "text", text: "." },
      { type: "toolCall", toolCall: { id: "toolu_1", name: "get_weather", input: { city: "Paris" } } },
      end({ stopReason: "tool_use", usage: { inputTokens: 12, outputTokens: 9 } }),
    ];
    expect(events.flatMap((event) => stream.translate(event))).toEqual([
      {
        type: "message_start",
        message: {
          id: "msg_bdrk_r1",
          type: "message",
          role: "assistant",
          model: "m",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 0 },
        },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me check" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "." } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} },
      },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"city":"Paris"}' },
      },
      { type: "content_block_stop", index: 1 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 9 },
      },
      { type: "message_stop" },
    ]);
  });

  it("starts the message even when the generation is empty", () => {
    const stream = createAnthropicStream({ modelId: "m", requestId: "r", inputTokens: 1 });
    expect(stream.translate(end()).map((chunk) => chunk.type)).toEqual([
      "message_start",
      "message_delta",
      "message_stop",
    ]);
  });
});
