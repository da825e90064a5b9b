import { describe, expect, it } from "vitest";
import type { GenerationEvent } from "../engine/inference-engine.js";
import { createTitanTextStream, parseTitanTextRequest, titanTextResponseBody } from "./amazon-titan-text.js";
import type { GenerationEnd } from "./native-family.js";

const end = (overrides: Partial<GenerationEnd> = {}): GenerationEnd => ({
  type: "end",
  stopReason: "end_turn",
  usage: { inputTokens: 5, outputTokens: 2 },
  timeToFirstTokenMs: 5,
  totalTimeMs: 20,
  ...overrides,
});

describe("parseTitanTextRequest", () => {
  it("reads inputText as raw text with Titan's defaults", () => {
    expect(parseTitanTextRequest({ inputText: "User: hi\nBot:" })).toEqual({
      ok: true,
      prompt: { kind: "text", text: "User: hi\nBot:" },
      sampling: { maxTokens: 512, temperature: 0.7, topP: 0.9 },
    });
  });

  it("takes textGenerationConfig", () => {
    const parsed = parseTitanTextRequest({
      inputText: "x",
      textGenerationConfig: { maxTokenCount: 100, temperature: 0.2, topP: 0.5, stopSequences: ["User:"] },
    });
    expect(parsed).toMatchObject({
      ok: true,
      sampling: { maxTokens: 100, temperature: 0.2, topP: 0.5, stopSequences: ["User:"] },
    });
  });

  it("limits maxTokenCount to the model's output limit when the catalog knows it", () => {
    const body = { inputText: "x", textGenerationConfig: { maxTokenCount: 5000 } };
    expect(parseTitanTextRequest(body, { maxOutputTokens: 4096 })).toEqual({
      ok: false,
      message: "textGenerationConfig.maxTokenCount must be an integer from 1 to 4096, got 5000.",
    });
    expect(parseTitanTextRequest(body)).toMatchObject({ ok: true, sampling: { maxTokens: 5000 } });
  });

  it.each([
    [{}, "inputText is required (a string)."],
    [{ inputText: "x", textGenerationConfig: [] }, "textGenerationConfig must be a JSON object, got a list."],
    [
      { inputText: "x", textGenerationConfig: { temperature: -0.1 } },
      "textGenerationConfig.temperature must be a number from 0 to 1, got -0.1.",
    ],
    [
      { inputText: "x", textGenerationConfig: { stopSequences: ["ok", ""] } },
      'textGenerationConfig.stopSequences[1] must be a non-empty string, got "".',
    ],
  ])("refuses %j", (body, message) => {
    expect(parseTitanTextRequest(body)).toEqual({ ok: false, message });
  });
});

describe("titanTextResponseBody", () => {
  it.each([
    ["end_turn", "FINISH"],
    ["max_tokens", "LENGTH"],
    ["stop_sequence", "STOP_CRITERIA_MET"],
  ] as const)("answers one result with completionReason for %s", (stopReason, completionReason) => {
    expect(titanTextResponseBody({ text: "Hi", toolCalls: [], end: end({ stopReason }) })).toEqual({
      inputTextTokenCount: 5,
      results: [{ tokenCount: 2, outputText: "Hi", completionReason }],
    });
  });
});

describe("createTitanTextStream", () => {
  it("sends outputText pieces and the completion reason in the last chunk", () => {
    const stream = createTitanTextStream({
      modelId: "amazon.titan-text-express-v1",
      requestId: "r",
      inputTokens: 5,
    });
    const events: GenerationEvent[] = [{ type: "text", text: "Hi" }, { type: "text", text: "!" }, end()];
    expect(events.flatMap((event) => stream.translate(event))).toEqual([
      {
        outputText: "Hi",
        index: 0,
        totalOutputTextTokenCount: 1,
        completionReason: null,
        inputTextTokenCount: 5,
      },
      {
        outputText: "!",
        index: 0,
        totalOutputTextTokenCount: 2,
        completionReason: null,
        inputTextTokenCount: null,
      },
      {
        outputText: "",
        index: 0,
        totalOutputTextTokenCount: 2,
        completionReason: "FINISH",
        inputTextTokenCount: null,
      },
    ]);
  });
});
