import { describe, expect, it } from "vitest";
import { parseCompletionRequest } from "./parse-completion-request.js";

describe("parseCompletionRequest", () => {
  it("reads a prompt string with OpenAI's default of 16 tokens", () => {
    const result = parseCompletionRequest({ model: "m", prompt: "Once upon a time" });
    expect(result).toEqual({
      success: true,
      value: {
        model: "m",
        prompt: "Once upon a time",
        maxTokens: 16,
        echo: false,
        stream: false,
        includeUsage: false,
      },
    });
  });

  it("accepts a one-prompt list, echo, streaming with usage and stop sequences", () => {
    const result = parseCompletionRequest({
      model: "m",
      prompt: ["Hello"],
      max_tokens: 5,
      echo: true,
      stream: true,
      stream_options: { include_usage: true },
      stop: ["\n", "."],
      logprobs: null,
    });
    expect(result.success && result.value).toMatchObject({
      prompt: "Hello",
      maxTokens: 5,
      echo: true,
      stream: true,
      includeUsage: true,
      stopSequences: ["\n", "."],
    });
  });

  it.each([
    [{ model: "m" }, "prompt", "missing_required_parameter"],
    [{ model: "m", prompt: ["a", "b"] }, "prompt", "unsupported_parameter"],
    [{ model: "m", prompt: [1, 2, 3] }, "prompt", "invalid_value"],
    [{ model: "m", prompt: 5 }, "prompt", "invalid_type"],
    [{ model: "m", prompt: "x", suffix: "y" }, "suffix", "unsupported_parameter"],
    [{ model: "m", prompt: "x", logprobs: 2 }, "logprobs", "unsupported_parameter"],
    [{ model: "m", prompt: "x", best_of: 3 }, "best_of", "unsupported_parameter"],
    [{ model: "m", prompt: "x", n: 3 }, "n", "unsupported_parameter"],
  ])("refuses %j naming %s", (body, param, code) => {
    const result = parseCompletionRequest(body);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.toBody().error).toMatchObject({ param, code });
  });
});
