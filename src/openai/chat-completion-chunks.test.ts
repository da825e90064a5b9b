import { describe, expect, it } from "vitest";
import type { GenerationEvent } from "../inference/engine/inference-engine.js";
import { chatCompletionChunks } from "./chat-completion-chunks.js";
import { textCompletionChunks } from "./text-completion-chunks.js";

async function* events(...items: GenerationEvent[]): AsyncGenerator<GenerationEvent> {
  for (const item of items) yield item;
}

async function collect<Value>(iterable: AsyncIterable<Value>): Promise<Value[]> {
  const result: Value[] = [];
  for await (const item of iterable) result.push(item);
  return result;
}

const end = (stopReason: "end_turn" | "max_tokens" | "tool_use"): GenerationEvent => ({
  type: "end",
  stopReason,
  usage: { inputTokens: 5, outputTokens: 2 },
  timeToFirstTokenMs: 1,
  totalTimeMs: 2,
});

const identity = { id: "chatcmpl-1", created: 100, model: "local.tiny" };

describe("chatCompletionChunks", () => {
  it("sends the role, the text deltas, the finish reason and then the usage with no choices", async () => {
    const chunks = await collect(
      chatCompletionChunks(
        events({ type: "text", text: "Hi" }, { type: "text", text: "!" }, end("max_tokens")),
        {
          ...identity,
          includeUsage: true,
        },
      ),
    );
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: "Hi" }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: "!" }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: "length" }],
      [],
    ]);
    expect(chunks[0]).toMatchObject({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 100,
      usage: null,
    });
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it("sends tool calls with their index and JSON arguments, finishing with tool_calls", async () => {
    const chunks = await collect(
      chatCompletionChunks(
        events(
          { type: "toolCall", toolCall: { id: "t1", name: "get_weather", input: { city: "Paris" } } },
          end("tool_use"),
        ),
        { ...identity, includeUsage: false },
      ),
    );
    expect(chunks[1]?.choices).toEqual([
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: "t1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    expect(chunks.at(-1)?.choices).toEqual([
      { index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" },
    ]);
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
  });
});

describe("textCompletionChunks", () => {
  it("sends the echoed prompt, the text pieces and the finish reason", async () => {
    const chunks = await collect(
      textCompletionChunks(
        events({ type: "text", text: " world" }, end("end_turn")),
        { id: "cmpl-1", created: 1, model: "m", includeUsage: false },
        "Hello",
      ),
    );
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ text: "Hello", index: 0, logprobs: null, finish_reason: null }],
      [{ text: " world", index: 0, logprobs: null, finish_reason: null }],
      [{ text: "", index: 0, logprobs: null, finish_reason: "stop" }],
    ]);
    expect(chunks[0]).toMatchObject({ object: "text_completion" });
  });
});
