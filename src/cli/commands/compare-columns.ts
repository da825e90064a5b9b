// The side-by-side layout of one compare prompt: a column per model (name and warnings, the text wrapped to the
// column, then the metrics), sections aligned across columns, separated by " │ ". Pure: lines in, lines out,
// every line at most `width` characters so that a redraw knows exactly how many terminal rows it covers.
import type { CompareModelResultEvent } from "../../protocol/generated/strata-types.js";
import type { ModelColumn, PromptComparison } from "./compare-results.js";

const separator = " │ ";
const minimumColumnWidth = 16;

/** Model output is untrusted: no escape sequences or control characters reach the terminal (newlines stay). */
export function sanitizeText(text: string): string {
  let clean = "";
  for (const character of text.replace(/\r\n?/g, "\n").replace(/\t/g, "  ")) {
    const code = character.charCodeAt(0);
    const control = (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
    if (!control) clean += character;
  }
  return clean;
}

/** Word-wraps to `width`; words longer than a line are cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of sanitizeText(text).split("\n")) {
    let line = "";
    for (const word of paragraph.split(/(\s+)/)) {
      if (word === "") continue;
      if (/^\s+$/.test(word)) {
        if (line !== "" && line.length < width) line += " ";
        continue;
      }
      let rest = word;
      while (rest.length > 0) {
        const room = width - line.length;
        if (rest.length <= room) {
          line += rest;
          rest = "";
        } else if (line.trim() !== "") {
          lines.push(line.trimEnd());
          line = "";
        } else {
          lines.push(rest.slice(0, width));
          rest = rest.slice(width);
        }
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export function formatUsd(value: number): string {
  if (value === 0) return "$0";
  if (value >= 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(9).replace(/0+$/, "")}`;
}

export function metricLines(result: CompareModelResultEvent): string[] {
  const lines: string[] = [];
  if (result.status === "error") lines.push(`ERROR ${result.errorType ?? ""}`.trimEnd());
  lines.push(
    `TTFT     ${result.timeToFirstTokenMs === undefined ? "-" : `${result.timeToFirstTokenMs} ms`}`,
    `latency  ${result.latencyMs} ms`,
    `tokens   ${result.inputTokens} in / ${result.outputTokens} out`,
    `speed    ${result.tokensPerSecond === undefined ? "-" : `${result.tokensPerSecond.toFixed(1)} tok/s`}`,
    `cost     ${formatUsd(result.costUsd)}`,
  );
  if (result.status === "success") {
    const equivalent = result.bedrockEquivalent;
    lines.push(
      `Bedrock  ${equivalent?.costUsd === undefined ? "n/a" : `${formatUsd(equivalent.costUsd)}${equivalent.bedrockModelId ? ` (${equivalent.bedrockModelId})` : ""}`}`,
    );
    if (result.stopReason) lines.push(`stop     ${result.stopReason}`);
  }
  return lines;
}

interface ColumnSections {
  header: string[];
  body: string[];
  footer: string[];
}

function sectionsOf(column: ModelColumn, width: number): ColumnSections {
  const header = wrapText(column.modelId, width);
  if (column.servedModelId && column.servedModelId !== column.modelId)
    header.push(...wrapText(`→ ${column.servedModelId}`, width));
  for (const warning of column.warnings) header.push(...wrapText(`! ${warning}`, width));
  const body = column.text === "" ? [] : wrapText(column.text, width);
  for (const call of column.toolCalls) body.push(...wrapText(`[tool use] ${call.name} ${call.input}`, width));
  const { result } = column;
  let footer: string[];
  if (!result) footer = [column.text === "" ? "… waiting" : "… streaming"];
  else {
    // Aligned labels keep their spaces; only a line too long for the column is wrapped.
    footer = metricLines(result).flatMap((line) => (line.length <= width ? [line] : wrapText(line, width)));
    if (result.status === "error" && result.errorMessage) body.push(...wrapText(result.errorMessage, width));
  }
  return { header, body, footer };
}

function pad(line: string, width: number): string {
  return line.length >= width ? line.slice(0, width) : line + " ".repeat(width - line.length);
}

function joinRows(cells: readonly string[][], widths: number, rows: number): string[] {
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    lines.push(
      cells
        .map((column) => pad(column[row] ?? "", widths))
        .join(separator)
        .trimEnd(),
    );
  }
  return lines;
}

export function columnWidthFor(totalWidth: number, columns: number): number {
  return Math.max(minimumColumnWidth, Math.floor((totalWidth - separator.length * (columns - 1)) / columns));
}

/**
 * The block of one prompt. `maxLines` (the live view: the terminal's height) keeps only the last lines of each
 * column's text so that the block fits; the final block is drawn whole.
 */
export function renderPromptBlock(
  prompt: PromptComparison,
  options: { width: number; promptCount: number; maxLines?: number },
): string[] {
  const width = columnWidthFor(options.width, prompt.columns.length);
  const sections = prompt.columns.map((column) => sectionsOf(column, width));
  const height = (pick: (section: ColumnSections) => string[]) =>
    Math.max(0, ...sections.map((section) => pick(section).length));
  const title = sanitizeText(
    `Prompt ${prompt.promptIndex + 1} of ${options.promptCount}: ${prompt.text.replace(/\s+/g, " ")}`,
  ).slice(0, options.width);
  const lines = [title];
  if (prompt.system !== undefined)
    lines.push(sanitizeText(`System: ${prompt.system.replace(/\s+/g, " ")}`).slice(0, options.width));
  const rule = prompt.columns.map(() => "─".repeat(width)).join("─┼─");
  const headerHeight = height((section) => section.header);
  const footerHeight = height((section) => section.footer);
  let bodyHeight = height((section) => section.body);
  if (options.maxLines !== undefined) {
    const fixed = lines.length + headerHeight + footerHeight + 2;
    bodyHeight = Math.min(bodyHeight, Math.max(1, options.maxLines - fixed));
  }
  const tails = sections.map((section) => section.body.slice(Math.max(0, section.body.length - bodyHeight)));
  lines.push(
    ...joinRows(
      sections.map((section) => section.header),
      width,
      headerHeight,
    ),
    rule,
    ...joinRows(tails, width, bodyHeight),
    rule,
    ...joinRows(
      sections.map((section) => section.footer),
      width,
      footerHeight,
    ),
  );
  return lines;
}
