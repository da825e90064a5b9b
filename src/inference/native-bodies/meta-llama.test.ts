import { describe, expect, it } from "vitest";
import type { GenerationEvent } from "../engine/inference-engine.js";
import { createLlamaStream, llamaResponseBody, parseLlamaRequest } from "./meta-llama.js";
import type { GenerationEnd } from "./native-family.js";

const end = (overrides: Partial<GenerationEnd> = {}): GenerationEnd => ({
  type: "end",
  stopReason: "end_turn",
  usage: { inputTokens: 7, outputTokens: 3 },
  timeToFirstTokenMs: 5,
  totalTimeMs: 20,
  ...overrides,
});

describe("parseLlamaRequest", () => {
  it("reads the prompt as raw text with Bedrock's defaults", () => {
    expect(parseLlamaRequest({ prompt: "Hello" })).toEqual({
      ok: true,
      prompt: { kind: "text", text: "Hello" },
      sampling: { maxTokens: 512, temperature: 0.5, topP: 0.9 },
    });
  });

  it("takes max_gen_len, temperature and top_p", () => {
    const parsed = parseLlamaRequest({ prompt: "Hi", max_gen_len: 2048, temperature: 0, top_p: 1 });
    expect(parsed).toMatchObject({ ok: true, sampling: { maxTokens: 2048, temperature: 0, topP: 1 } });
  });

  it.each([
    [{ prompt: "Hi", max_gen_len: 0 }, "max_gen_len must be an integer from 1 to 2048, got 0."],
    [{ prompt: "Hi", max_gen_len: 4096 }, "max_gen_len must be an integer from 1 to 2048, got 4096."],
    [{ prompt: "Hi", max_gen_len: 1.5 }, "max_gen_len must be an integer from 1 to 2048, got 1.5."],
    [{ prompt: "Hi", temperature: 1.5 }, "temperature must be a number from 0 to 1, got 1.5."],
    [{ prompt: "Hi", top_p: "0.5" }, 'top_p must be a number from 0 to 1, got "0.5".'],
    [{ max_gen_len: 10 }, "prompt is required (a string)."],
    [{ prompt: 42 }, "prompt must be a string, got 42."],
    [[], "The body must be a JSON object, got a list."],
  ])("refuses %j", (body, message) => {
    expect(parseLlamaRequest(body)).toEqual({ ok: false, message });
  });
});

describe("llamaResponseBody", () => {
  it("answers generation, token counts and the stop reason", () => {
    expect(llamaResponseBody({ text: "Hey", toolCalls: [], end: end() })).toEqual({
      generation: "Hey",
      prompt_token_count: 7,
      generation_token_count: 3,
      stop_reason: "stop",
    });
    expect(
      llamaResponseBody({ text: "", toolCalls: [], end: end({ stopReason: "max_tokens" }) }),
    ).toMatchObject({
      stop_reason: "length",
    });
    expect(
      llamaResponseBody({ text: "", toolCalls: [], end: end({ stopReason: "stop_sequence" }) }),
    ).toMatchObject({
      stop_reason: "stop",
    });
  });
});

describe("createLlamaStream", () => {
  it("sends the prompt count first, running generation counts, and the stop reason last", () => {
    const stream = createLlamaStream({
      modelId: "meta.llama3-1-8b-instruct-v1:0",
      requestId: "r",
      inputTokens: 7,
    });
    const events: GenerationEvent[] = [
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
      end({ stopReason: "max_tokens", usage: { inputTokens: 7, outputTokens: 2 } }),
    ];
    expect(events.flatMap((event) => stream.translate(event))).toEqual([
      { generation: "Hel", prompt_token_count: 7, generation_token_count: 1, stop_reason: null },
      { generation: "lo", prompt_token_count: null, generation_token_count: 2, stop_reason: null },
      { generation: "", prompt_token_count: null, generation_token_count: 2, stop_reason: "length" },
    ]);
  });

  it("puts the prompt count in the only chunk of an empty generation", () => {
    const stream = createLlamaStream({ modelId: "m", requestId: "r", inputTokens: 4 });
    expect(stream.translate(end())).toEqual([
      { generation: "", prompt_token_count: 4, generation_token_count: 3, stop_reason: "stop" },
    ]);
  });
});
