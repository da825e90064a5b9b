// What the compare view knows so far, one column per model, built from CompareModels' events (the console sends
// one prompt): the capability warnings from modelStart, the text as it streams, then the model's result — time
// to first token and latency measured on the server, where every model starts at the same instant, tokens, and
// cost priced the way the usage ledger prices the run. Pure: no DOM, no React (unit-tested in test/console/).
import type { CompareModelsStream } from "../../../../src/protocol/generated/strata-types.js";

/** Shaped so that it is an AnswerMetrics (stream-metrics.tsx). */
export interface CompareMetrics {
  timeToFirstTokenMs?: number;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  stopReason?: string;
  costUsd: number;
  priceBasis?: string;
}

export interface CompareColumn {
  /** Stable across adding and removing columns (React key). */
  key: number;
  modelId: string;
  /** Who served the run when it is not the model asked for (an alias's local model). */
  servedModelId?: string;
  /** What the request asks that this model cannot do or does not support (the run goes ahead anyway). */
  warnings: readonly string[];
  text: string;
  running: boolean;
  error?: string;
  metrics?: CompareMetrics;
}

/** The column as a new run starts: its model and place kept, everything from the last run cleared. */
export function startedColumn(column: CompareColumn): CompareColumn {
  return { key: column.key, modelId: column.modelId, warnings: [], text: "", running: true };
}

/** Applies one event (promptStart and toolUse change nothing shown: one prompt, no tools). */
export function applyCompareEvent(
  columns: readonly CompareColumn[],
  event: CompareModelsStream,
): CompareColumn[] {
  const located = event.modelStart ?? event.textDelta ?? event.modelResult;
  const column = located ? columns[located.modelIndex] : undefined;
  if (!located || !column) return [...columns];
  let changed: CompareColumn = column;
  if (event.modelStart) {
    const { servedModelId, warnings } = event.modelStart;
    changed = {
      ...column,
      warnings,
      ...(servedModelId !== undefined && servedModelId !== column.modelId ? { servedModelId } : {}),
    };
  } else if (event.textDelta) {
    changed = { ...column, text: column.text + event.textDelta.text };
  } else if (event.modelResult) {
    const result = event.modelResult;
    changed = {
      ...column,
      running: false,
      warnings: result.warnings.length > 0 ? result.warnings : column.warnings,
      // The result carries the whole output; the deltas already showed it unless some were missed.
      text: column.text || result.output,
    };
    if (result.status === "error") {
      changed.error = `${result.errorType ?? "Error"}: ${result.errorMessage ?? "the model's run failed"}`;
    } else {
      changed.metrics = {
        latencyMs: result.latencyMs,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        costUsd: result.costUsd,
        ...(result.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: result.timeToFirstTokenMs }),
        ...(result.stopReason === undefined ? {} : { stopReason: result.stopReason }),
        ...(result.priceBasis === undefined ? {} : { priceBasis: result.priceBasis }),
      };
    }
  }
  return columns.map((entry, index) => (index === located.modelIndex ? changed : entry));
}

/** The stream is over (ended, failed or stopped): a column still waiting for its result gets `why` as its error. */
export function endComparison(columns: readonly CompareColumn[], why: string): CompareColumn[] {
  return columns.map((column) => (column.running ? { ...column, running: false, error: why } : column));
}
