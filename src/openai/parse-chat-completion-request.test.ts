import { describe, expect, it } from "vitest";
import { type ChatCompletionRequest, parseChatCompletionRequest } from "./parse-chat-completion-request.js";

function parsed(body: unknown): ChatCompletionRequest {
  const result = parseChatCompletionRequest(body);
  if (!result.success) throw new Error(`expected success, got ${result.error.message}`);
  return result.value;
}

function refused(body: unknown) {
  const result = parseChatCompletionRequest(body);
  if (result.success) throw new Error("expected the body to be refused");
  return { status: result.error.status, ...result.error.toBody().error };
}

const user = { role: "user", content: "Hello" };

describe("parseChatCompletionRequest", () => {
  it("maps roles: system and developer to the system prompt, tool results to their call's tool name", () => {
    const request = parsed({
      model: "local.tiny",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather?" },
            { type: "text", text: "In Paris." },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
    });
    expect(request.system).toBe("Be brief.\n\nAnswer in English.");
    expect(request.messages).toEqual([
      { role: "user", text: "Weather?\nIn Paris." },
      {
        role: "assistant",
        text: "",
        toolCalls: [{ id: "call_1", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "call_1", toolName: "get_weather", result: "sunny" },
    ]);
    expect(request.stream).toBe(false);
    expect(request.nonTextModalities).toEqual([]);
  });

  it("reads sampling fields, max_completion_tokens before max_tokens, and a single stop string", () => {
    const request = parsed({
      model: "m",
      messages: [user],
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0,
      top_p: 0.5,
      seed: 7,
      stop: "\n",
      n: 1,
      stream: true,
      stream_options: { include_usage: true },
      presence_penalty: 0,
      user: "someone",
    });
    expect(request).toMatchObject({
      maxTokens: 20,
      temperature: 0,
      topP: 0.5,
      seed: 7,
      stopSequences: ["\n"],
      stream: true,
      includeUsage: true,
    });
  });

  it("treats null as absent, as OpenAI does", () => {
    const request = parsed({ model: "m", messages: [user], temperature: null, stop: null, max_tokens: null });
    expect(request.temperature).toBeUndefined();
    expect(request.stopSequences).toBeUndefined();
    expect(request.maxTokens).toBeUndefined();
  });

  it("maps tools and every tool_choice form; required becomes any, none offers no tools", () => {
    const tools = [
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object" } },
      },
      { type: "function", function: { name: "no_arguments" } },
    ];
    const auto = parsed({ model: "m", messages: [user], tools });
    expect(auto.tools).toEqual([
      { name: "get_weather", description: "Weather", inputSchema: { type: "object" } },
      { name: "no_arguments", inputSchema: { type: "object", properties: {} } },
    ]);
    expect(auto.toolChoice).toBeUndefined();
    expect(parsed({ model: "m", messages: [user], tools, tool_choice: "auto" }).toolChoice).toEqual({
      kind: "auto",
    });
    expect(parsed({ model: "m", messages: [user], tools, tool_choice: "required" }).toolChoice).toEqual({
      kind: "any",
    });
    expect(
      parsed({
        model: "m",
        messages: [user],
        tools,
        tool_choice: { type: "function", function: { name: "get_weather" } },
      }).toolChoice,
    ).toEqual({ kind: "tool", name: "get_weather" });
    const none = parsed({ model: "m", messages: [user], tools, tool_choice: "none" });
    expect(none.tools).toBeUndefined();
    expect(none.toolChoice).toBeUndefined();
  });

  it("notes image parts so the handler can name the model", () => {
    const request = parsed({
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
    });
    expect(request.nonTextModalities).toEqual(["image"]);
    expect(request.messages).toEqual([{ role: "user", text: "What is this?" }]);
  });

  it.each([
    [{ messages: [user] }, "model", "missing_required_parameter"],
    [{ model: "m" }, "messages", "missing_required_parameter"],
    [{ model: "m", messages: [] }, "messages", "invalid_value"],
    [{ model: 3, messages: [user] }, "model", "invalid_type"],
    [{ model: "m", messages: [{ role: "robot", content: "x" }] }, "messages[0].role", "invalid_value"],
    [{ model: "m", messages: [{ role: "user" }] }, "messages[0].content", "missing_required_parameter"],
    [{ model: "m", messages: [{ role: "user", content: 5 }] }, "messages[0].content", "invalid_type"],
    [
      { model: "m", messages: [{ role: "user", content: [{ type: "video", video: {} }] }] },
      "messages[0].content[0].type",
      "invalid_value",
    ],
    [
      { model: "m", messages: [{ role: "tool", tool_call_id: "nope", content: "x" }] },
      "messages[0].tool_call_id",
      "invalid_value",
    ],
    [{ model: "m", messages: [user], temperature: 3 }, "temperature", "invalid_value"],
    [{ model: "m", messages: [user], temperature: "hot" }, "temperature", "invalid_type"],
    [{ model: "m", messages: [user], top_p: 1.5 }, "top_p", "invalid_value"],
    [{ model: "m", messages: [user], max_tokens: 0 }, "max_tokens", "invalid_value"],
    [{ model: "m", messages: [user], max_tokens: 1.5 }, "max_tokens", "invalid_type"],
    [{ model: "m", messages: [user], seed: 0.5 }, "seed", "invalid_type"],
    [{ model: "m", messages: [user], n: 2 }, "n", "unsupported_parameter"],
    [{ model: "m", messages: [user], stop: ["a", "b", "c", "d", "e"] }, "stop", "invalid_value"],
    [{ model: "m", messages: [user], stop: [1] }, "stop[0]", "invalid_type"],
    [
      { model: "m", messages: [user], stream_options: { include_usage: true } },
      "stream_options",
      "invalid_value",
    ],
    [{ model: "m", messages: [user], tool_choice: "auto" }, "tool_choice", "invalid_value"],
    [
      {
        model: "m",
        messages: [user],
        tools: [{ type: "function", function: { name: "a" } }],
        tool_choice: { type: "function", function: { name: "b" } },
      },
      "tool_choice.function.name",
      "invalid_value",
    ],
    [
      { model: "m", messages: [user], tools: [{ type: "function", function: { name: "bad name" } }] },
      "tools[0].function.name",
      "invalid_value",
    ],
    [
      { model: "m", messages: [user], response_format: { type: "json_object" } },
      "response_format",
      "unsupported_parameter",
    ],
    [{ model: "m", messages: [user], logprobs: true }, "logprobs", "unsupported_parameter"],
    [{ model: "m", messages: [user], functions: [] }, "functions", "unsupported_parameter"],
  ])("refuses %j naming %s", (body, param, code) => {
    expect(refused(body)).toMatchObject({ status: 400, type: "invalid_request_error", param, code });
  });

  it("refuses a body that is not an object", () => {
    expect(refused([1, 2])).toMatchObject({ status: 400, code: "invalid_type" });
  });

  it("writes OpenAI-style messages", () => {
    expect(refused({ model: "m", messages: [user], temperature: "hot" }).message).toBe(
      "Invalid type for 'temperature': expected a number, but got a string instead.",
    );
    expect(refused({ messages: [user] }).message).toBe("Missing required parameter: 'model'.");
  });
});
