import { describe, expect, it } from "vitest";
import { ComparisonResults } from "./compare-results.js";
import { LiveColumnsView, PlainBlocksView } from "./compare-views.js";

function comparison() {
  const results = new ComparisonResults(["strata.tiny-chat-v1", "strata.tiny-base-v1"]);
  const prompt = results.apply({ promptStart: { promptIndex: 0, text: "Tell me about the whale." } });
  if (!prompt) throw new Error("no prompt");
  return { results, prompt };
}

const result = (modelIndex: number, modelId: string) => ({
  modelResult: {
    promptIndex: 0,
    modelIndex,
    modelId,
    status: "success" as const,
    output: "",
    timeToFirstTokenMs: 10,
    latencyMs: 100,
    inputTokens: 5,
    outputTokens: 20,
    tokensPerSecond: 200,
    costUsd: 0.0000152,
    bedrockEquivalent: { costUsd: 0.0000025, basis: "size class" },
    warnings: [],
  },
});

describe("LiveColumnsView", () => {
  it("redraws the current prompt in place: up over the last frame, each line erased", async () => {
    const writes: string[] = [];
    const view = new LiveColumnsView(
      { write: (text) => writes.push(text), size: () => ({ columns: 100, rows: 30 }) },
      1,
    );
    const { results, prompt } = comparison();
    view.update(prompt);
    await new Promise((resolve) => setTimeout(resolve, 80));
    results.apply({ textDelta: { promptIndex: 0, modelIndex: 0, text: "The whale" } });
    view.update(prompt);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(writes).toHaveLength(2);
    const firstFrameLines = (writes[0] ?? "").split("\n").length - 1;
    expect(writes[0]).not.toContain("\u001b[A");
    expect(writes[1]?.startsWith(`\u001b[${firstFrameLines}A\r\u001b[2K`)).toBe(true);
    expect(writes[1]).toContain("The whale");

    results.apply(result(0, "strata.tiny-chat-v1"));
    results.apply(result(1, "strata.tiny-base-v1"));
    view.finish(prompt);
    expect(writes[2]).toMatch(/TTFT {5}10 ms +│ TTFT {5}10 ms/);
    view.end(results);
    expect(writes.at(-1)).toMatch(
      /strata\.tiny-base-v1 +1 +0 +10 ms +100 ms +5\/20 +200\.0 +\$0\.0000152 +\$0\.0000025/,
    );
  });
});

describe("PlainBlocksView", () => {
  it("writes each prompt as sequential blocks, one model after the other, without escape sequences", () => {
    const lines: string[] = [];
    const view = new PlainBlocksView((line) => lines.push(line), 1);
    const { results, prompt } = comparison();
    results.apply({
      modelStart: { promptIndex: 0, modelIndex: 1, modelId: "strata.tiny-base-v1", warnings: ["no images"] },
    });
    results.apply({ textDelta: { promptIndex: 0, modelIndex: 0, text: "The whale \u001b[31mis large." } });
    results.apply(result(0, "strata.tiny-chat-v1"));
    results.apply(result(1, "strata.tiny-base-v1"));
    view.update();
    view.finish(prompt);
    expect(lines.slice(0, 6)).toEqual([
      "=== Prompt 1 of 1: Tell me about the whale.",
      "--- strata.tiny-chat-v1",
      "The whale [31mis large.",
      "TTFT 10 ms | latency 100 ms | tokens 5 in / 20 out | 200.0 tok/s | cost $0.0000152 | Bedrock $0.0000025 (size class)",
      "--- strata.tiny-base-v1",
      "warning: no images",
    ]);
  });
});
