// Pure validation of a labeled dataset for transfer learning: JSONL, one {"text", "label"} object per line,
// UTF-8. Problems name the file, the line and the field, as the other customization methods' validation does.
// Beyond each record: a training file must hold at least two classes, and a validation or test file may only
// use labels the training file has (the head cannot predict any other). Nothing here touches the file system.
import type { DatasetProblem } from "../../customization/datasets/validate-dataset.js";
import { parseJsonLine } from "../../customization/datasets/validate-dataset.js";

export interface LabeledRecord {
  text: string;
  label: string;
  /** 1-based line in the file. */
  line: number;
}

export interface LabeledDatasetReport {
  file: string;
  records: LabeledRecord[];
  /** Distinct labels, sorted: the order of the head's classes. */
  labels: string[];
  bytes: number;
  problems: DatasetProblem[];
  /** Problems found beyond `maxProblems` and left out of `problems`. */
  omittedProblems: number;
}

export interface LabeledDatasetOptions {
  fileName: string;
  /** The training file's labels, for a validation or test file; absent for the training file itself. */
  trainingLabels?: readonly string[];
  maxRecords?: number;
  maxBytes?: number;
  maxProblems?: number;
}

const allowedKeys = ["text", "label"];

export async function readLabeledDataset(
  chunks: AsyncIterable<Uint8Array | string>,
  options: LabeledDatasetOptions,
): Promise<LabeledDatasetReport> {
  const file = options.fileName;
  const maxProblems = options.maxProblems ?? 100;
  const problems: DatasetProblem[] = [];
  let omittedProblems = 0;
  const report = (line: number, reason: string, field?: string) => {
    if (problems.length >= maxProblems) omittedProblems++;
    else problems.push(field === undefined ? { file, line, reason } : { file, line, field, reason });
  };
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    bytes += buffer.length;
    if (options.maxBytes !== undefined && bytes > options.maxBytes) {
      report(0, `the file is larger than the limit of ${options.maxBytes} bytes`);
      return { file, records: [], labels: [], bytes, problems, omittedProblems };
    }
    parts.push(buffer);
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const known = options.trainingLabels ? new Set(options.trainingLabels) : undefined;
  const records: LabeledRecord[] = [];
  const lines = splitLines(Buffer.concat(parts));
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    // A file's last newline ends the last record; it does not start an empty one.
    if (raw.length === 0 && index === lines.length - 1) break;
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      report(line, "the line is not valid UTF-8 text");
      continue;
    }
    if (text.trim() === "") {
      report(line, "empty line; every line must hold one JSON record");
      continue;
    }
    if (options.maxRecords !== undefined && records.length === options.maxRecords) {
      report(line, `too many records: the limit is ${options.maxRecords}`);
      break;
    }
    const parsed = parseJsonLine(text);
    if (!parsed.ok) {
      report(line, `invalid JSON: ${parsed.error}`);
      continue;
    }
    const value = parsed.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      report(line, 'each line must be a JSON object like {"text": "...", "label": "..."}');
      continue;
    }
    const record = value as Record<string, unknown>;
    let valid = true;
    for (const field of allowedKeys) {
      if (!(field in record)) {
        report(line, `"${field}" is missing`, field);
        valid = false;
      } else if (typeof record[field] !== "string" || (record[field] as string).trim() === "") {
        report(line, `"${field}" must be a non-empty string, but it is ${describe(record[field])}`, field);
        valid = false;
      }
    }
    for (const key of Object.keys(record))
      if (!allowedKeys.includes(key)) {
        report(line, `unexpected key "${key}"; allowed keys are "text", "label"`, key);
        valid = false;
      }
    if (!valid) continue;
    const label = record.label as string;
    if (known && !known.has(label)) {
      report(
        line,
        `the label ${JSON.stringify(label)} does not occur in the training data (its labels: ${[...known].join(", ")})`,
        "label",
      );
      continue;
    }
    records.push({ text: record.text as string, label, line });
  }
  const labels = [...new Set(records.map((record) => record.label))].sort();
  if (lines.every((raw) => raw.length === 0) || (records.length === 0 && problems.length === 0))
    report(0, "the file holds no records");
  else if (!known && labels.length === 1 && problems.length === 0)
    report(
      0,
      `every record has the label ${JSON.stringify(labels[0])}: a classifier needs at least two classes`,
      "label",
    );
  return { file, records, labels, bytes, problems, omittedProblems };
}

/** One line per problem, as error messages print them: file:line field: reason. */
export function describeLabeledProblems(report: LabeledDatasetReport, limit = 10): string {
  const shown = report.problems
    .slice(0, limit)
    .map(
      (problem) =>
        `${problem.file}:${problem.line}${problem.field ? ` ${problem.field}` : ""}: ${problem.reason}`,
    );
  const more = report.problems.length - shown.length + report.omittedProblems;
  return more > 0 ? `${shown.join("; ")}; and ${more} more problem(s)` : shown.join("; ");
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let newline = bytes.indexOf(0x0a, start); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
    lines.push(trimCarriageReturn(bytes.subarray(start, newline)));
    start = newline + 1;
  }
  lines.push(trimCarriageReturn(bytes.subarray(start)));
  return lines;
}

function trimCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return value === "" ? "an empty string" : "only whitespace";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
