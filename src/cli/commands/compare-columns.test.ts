import { describe, expect, it } from "vitest";
import type { CompareModelResultEvent } from "../../protocol/generated/strata-types.js";
import { formatUsd, renderPromptBlock, sanitizeText, wrapText } from "./compare-columns.js";
import { ComparisonResults } from "./compare-results.js";

function result(
  modelIndex: number,
  overrides: Partial<CompareModelResultEvent> = {},
): CompareModelResultEvent {
  return {
    promptIndex: 0,
    modelIndex,
    modelId: `m${modelIndex}`,
    status: "success",
    output: "",
    timeToFirstTokenMs: 12,
    latencyMs: 340,
    inputTokens: 19,
    outputTokens: 60,
    tokensPerSecond: 176.47,
    costUsd: 0.00004576,
    warnings: [],
    ...overrides,
  };
}

describe("wrapText and sanitizeText", () => {
  it("wraps at word boundaries, cuts words longer than a line, keeps paragraphs", () => {
    expect(wrapText("the whale is white and large", 10)).toEqual(["the whale", "is white", "and large"]);
    expect(wrapText("abcdefghijklmnop", 6)).toEqual(["abcdef", "ghijkl", "mnop"]);
    expect(wrapText("one\n\ntwo", 10)).toEqual(["one", "", "two"]);
  });

  it("lets no escape sequence or control character through", () => {
    expect(sanitizeText("red \u001b[31mtext\u0007\r\nnext\u009b")).toBe("red [31mtext\nnext");
  });

  it("formats small costs without exponents", () => {
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(0.00004576)).toBe("$0.00004576");
    expect(formatUsd(1.5)).toBe("$1.5000");
  });
});

describe("renderPromptBlock", () => {
  const results = new ComparisonResults(["strata.tiny-chat-v1", "strata.tiny-base-v1"]);
  results.apply({ promptStart: { promptIndex: 0, text: "Tell me about the whale." } });
  results.apply({
    modelStart: { promptIndex: 0, modelIndex: 1, modelId: "strata.tiny-base-v1", warnings: ["w"] },
  });
  results.apply({ textDelta: { promptIndex: 0, modelIndex: 0, text: "The whale is large. ".repeat(12) } });
  const prompt = results.prompts[0];
  if (!prompt) throw new Error("no prompt");

  it("puts the models side by side, every line within the width", () => {
    const lines = renderPromptBlock(prompt, { width: 80, promptCount: 1 });
    expect(lines[0]).toBe("Prompt 1 of 1: Tell me about the whale.");
    expect(lines[1]).toMatch(/^strata\.tiny-chat-v1 +│ strata\.tiny-base-v1$/);
    expect(lines[2]).toMatch(/^ +│ ! w$/);
    expect(lines[3]).toMatch(/^─+─┼──+$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.at(-1)).toMatch(/^… streaming +│ … waiting$/);
  });

  it("keeps the last lines of text when the live block must fit the terminal", () => {
    const whole = renderPromptBlock(prompt, { width: 60, promptCount: 1 });
    const live = renderPromptBlock(prompt, { width: 60, promptCount: 1, maxLines: 8 });
    expect(whole.length).toBeGreaterThan(8);
    expect(live.length).toBe(8);
  });

  it("shows the metrics under each column once the models have answered", () => {
    results.apply({ modelResult: result(0, { modelId: "strata.tiny-chat-v1" }) });
    results.apply({
      modelResult: result(1, {
        modelId: "strata.tiny-base-v1",
        status: "error",
        errorType: "ValidationException",
        errorMessage: "no images",
      }),
    });
    const lines = renderPromptBlock(prompt, { width: 100, promptCount: 1 });
    expect(lines).toContainEqual(expect.stringMatching(/^TTFT {5}12 ms +│ ERROR ValidationException$/));
    expect(lines).toContainEqual(expect.stringMatching(/^latency {2}340 ms +│ TTFT {5}12 ms$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^speed {4}176\.5 tok\/s +│ tokens {3}19 in \/ 60 out$/),
    );
    const [chat, base] = results.summaries();
    expect(chat).toMatchObject({ runs: 1, errors: 0, outputTokens: 60, timeToFirstTokenMsP50: 12 });
    expect(base).toMatchObject({ runs: 1, errors: 1 });
  });
});
