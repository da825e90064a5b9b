// The compare view's columns built from CompareModels' events: warnings land in their model's column, text
// accumulates as it streams, a result becomes the column's metrics (or its error), and a stream that ends early
// leaves no column waiting.
import { describe, expect, it } from "vitest";
import {
  applyCompareEvent,
  type CompareColumn,
  endComparison,
  startedColumn,
} from "../../console/src/features/playground/compare-events.js";
import type {
  CompareModelResultEvent,
  CompareModelsStream,
} from "../../src/protocol/generated/strata-types.js";

const chat = "strata.tiny-chat-v1";
const mistral = "mistral.mistral-7b-instruct-v0:2";
const warning = `${mistral} does not support a system prompt (Bedrock model capabilities)`;

function result(modelIndex: number, change: Partial<CompareModelResultEvent>): CompareModelsStream {
  return {
    modelResult: {
      promptIndex: 0,
      modelIndex,
      modelId: [chat, mistral][modelIndex] ?? "",
      status: "success",
      output: "",
      latencyMs: 200,
      inputTokens: 12,
      outputTokens: 5,
      costUsd: 0.00002,
      warnings: [],
      ...change,
    },
  };
}

const fresh = (): CompareColumn[] =>
  [chat, mistral].map((modelId, key) =>
    startedColumn({ key, modelId, warnings: ["old"], text: "old", running: false }),
  );

describe("the compare view's columns", () => {
  it("start clean: the last run's text, warnings and metrics are gone", () => {
    expect(fresh()).toEqual([
      { key: 0, modelId: chat, warnings: [], text: "", running: true },
      { key: 1, modelId: mistral, warnings: [], text: "", running: true },
    ]);
  });

  it("put each model's warnings, text and result in its own column", () => {
    const events: CompareModelsStream[] = [
      { promptStart: { promptIndex: 0, text: "Who shall assemble?", system: "Be brief." } },
      {
        modelStart: {
          promptIndex: 0,
          modelIndex: 1,
          modelId: mistral,
          servedModelId: "strata.tiny-base-v1",
          warnings: [warning],
        },
      },
      { modelStart: { promptIndex: 0, modelIndex: 0, modelId: chat, servedModelId: chat, warnings: [] } },
      { textDelta: { promptIndex: 0, modelIndex: 0, text: "The " } },
      { textDelta: { promptIndex: 0, modelIndex: 1, text: "Con" } },
      { textDelta: { promptIndex: 0, modelIndex: 0, text: "Congress." } },
    ];
    let columns = fresh();
    for (const event of events) columns = applyCompareEvent(columns, event);
    expect(columns[0]).toMatchObject({ warnings: [], text: "The Congress.", running: true });
    expect(columns[0]?.servedModelId).toBeUndefined();
    expect(columns[1]).toMatchObject({
      warnings: [warning],
      servedModelId: "strata.tiny-base-v1",
      text: "Con",
      running: true,
    });

    columns = applyCompareEvent(
      columns,
      result(0, {
        output: "The Congress.",
        timeToFirstTokenMs: 40,
        stopReason: "end_turn",
        priceBasis: "local-default",
      }),
    );
    expect(columns[0]).toMatchObject({
      running: false,
      metrics: {
        timeToFirstTokenMs: 40,
        latencyMs: 200,
        inputTokens: 12,
        outputTokens: 5,
        costUsd: 0.00002,
        priceBasis: "local-default",
        stopReason: "end_turn",
      },
    });
    expect(columns[1]?.running).toBe(true);

    columns = applyCompareEvent(
      columns,
      result(1, {
        status: "error",
        errorType: "ThrottlingException",
        errorMessage: "Too many requests.",
        output: "Con",
        warnings: [warning],
      }),
    );
    expect(columns[1]).toMatchObject({
      running: false,
      warnings: [warning],
      error: "ThrottlingException: Too many requests.",
    });
    expect(columns[1]?.metrics).toBeUndefined();
  });

  it("ignores events for a column it does not have", () => {
    const columns = fresh();
    expect(applyCompareEvent(columns, { textDelta: { promptIndex: 0, modelIndex: 5, text: "x" } })).toEqual(
      columns,
    );
  });

  it("ends the columns still waiting with the reason, leaving finished ones alone", () => {
    let columns = applyCompareEvent(fresh(), result(0, { output: "Done." }));
    columns = endComparison(columns, "AbortError: stopped");
    expect(columns[0]).toMatchObject({ running: false, text: "Done." });
    expect(columns[0]?.error).toBeUndefined();
    expect(columns[1]).toMatchObject({ running: false, error: "AbortError: stopped" });
  });
});
