// How `strata compare` shows a comparison as it streams. On a terminal: the current prompt's columns redrawn in
// place as tokens arrive (at most every 50 ms; the block is erased by moving the cursor up over exactly the lines
// it drew), then drawn whole once every model has answered. Elsewhere (a pipe, a file): each prompt as plain
// sequential blocks, one model after the other, once the prompt is done. Both end with a per-model summary.
import { formatTable } from "../format-table.js";
import { formatUsd, renderPromptBlock, sanitizeText } from "./compare-columns.js";
import type { ComparisonResults, ModelSummary, PromptComparison } from "./compare-results.js";

export interface CompareView {
  /** The prompt changed (started, a model started, text arrived, a model finished). */
  update(prompt: PromptComparison): void;
  /** Every model has answered this prompt. */
  finish(prompt: PromptComparison): void;
  end(results: ComparisonResults): void;
}

export interface Terminal {
  /** Raw output: no newline is added. */
  write(text: string): void;
  size(): { columns: number; rows: number };
}

const redrawIntervalMs = 50;

export class LiveColumnsView implements CompareView {
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private pending: PromptComparison | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly promptCount: number,
  ) {}

  update(prompt: PromptComparison): void {
    this.pending = prompt;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.pending) this.draw(this.pending, true);
    }, redrawIntervalMs);
  }

  finish(prompt: PromptComparison): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.draw(prompt, false);
    // The final block stays on screen; the next prompt draws below it.
    this.drawnLines = 0;
    this.terminal.write("\n");
  }

  end(results: ComparisonResults): void {
    this.terminal.write(`${summaryText(results)}\n`);
  }

  private draw(prompt: PromptComparison, live: boolean): void {
    const { columns, rows } = this.terminal.size();
    const lines = renderPromptBlock(prompt, {
      width: columns,
      promptCount: this.promptCount,
      ...(live ? { maxLines: Math.max(4, rows - 1) } : {}),
    });
    // Back up over the previous frame and overwrite it line by line (erase each line, then clear whatever an
    // older, taller frame left below). Clearing the whole screen at once instead would push the old frame
    // into some terminals' scrollback (tmux does).
    const up = this.drawnLines > 0 ? `\u001b[${this.drawnLines}A\r` : "";
    const frame = lines.map((line) => `\u001b[2K${line}`).join("\n");
    this.terminal.write(`${up}${frame}\n\u001b[J`);
    this.drawnLines = lines.length;
  }
}

export class PlainBlocksView implements CompareView {
  constructor(
    private readonly write: (line: string) => void,
    private readonly promptCount: number,
  ) {}

  update(): void {}

  finish(prompt: PromptComparison): void {
    this.write(
      `=== Prompt ${prompt.promptIndex + 1} of ${this.promptCount}: ${sanitizeText(prompt.text.replace(/\s+/g, " "))}`,
    );
    if (prompt.system !== undefined) this.write(`System: ${sanitizeText(prompt.system)}`);
    for (const column of prompt.columns) {
      const served =
        column.servedModelId && column.servedModelId !== column.modelId
          ? ` (served by ${column.servedModelId})`
          : "";
      this.write(`--- ${column.modelId}${served}`);
      for (const warning of column.warnings) this.write(`warning: ${warning}`);
      if (column.text !== "") this.write(sanitizeText(column.text));
      for (const call of column.toolCalls) this.write(`[tool use] ${call.name} ${sanitizeText(call.input)}`);
      const result = column.result;
      if (!result) continue;
      if (result.status === "error")
        this.write(`error: ${result.errorType ?? "error"}: ${sanitizeText(result.errorMessage ?? "")}`);
      const equivalent = result.bedrockEquivalent;
      this.write(
        [
          `TTFT ${result.timeToFirstTokenMs === undefined ? "-" : `${result.timeToFirstTokenMs} ms`}`,
          `latency ${result.latencyMs} ms`,
          `tokens ${result.inputTokens} in / ${result.outputTokens} out`,
          `${result.tokensPerSecond === undefined ? "-" : result.tokensPerSecond.toFixed(1)} tok/s`,
          `cost ${formatUsd(result.costUsd)}`,
          ...(equivalent
            ? [
                `Bedrock ${equivalent.costUsd === undefined ? "n/a" : formatUsd(equivalent.costUsd)} (${equivalent.basis})`,
              ]
            : []),
        ].join(" | "),
      );
    }
    this.write("");
  }

  end(results: ComparisonResults): void {
    this.write(summaryText(results));
  }
}

export function summaryText(results: ComparisonResults): string {
  const cell = (value: number | undefined, format: (value: number) => string) =>
    value === undefined ? "-" : format(value);
  return formatTable(
    ["MODEL", "RUNS", "ERRORS", "TTFT p50", "LATENCY p50", "TOKENS IN/OUT", "TOK/S", "COST", "BEDROCK"],
    results
      .summaries()
      .map((summary: ModelSummary) => [
        summary.modelId,
        String(summary.runs),
        String(summary.errors),
        cell(summary.timeToFirstTokenMsP50, (value) => `${value} ms`),
        cell(summary.latencyMsP50, (value) => `${value} ms`),
        `${summary.inputTokens}/${summary.outputTokens}`,
        cell(summary.tokensPerSecond, (value) => value.toFixed(1)),
        formatUsd(summary.costUsd),
        cell(summary.bedrockEquivalentCostUsd, formatUsd),
      ]),
  );
}
