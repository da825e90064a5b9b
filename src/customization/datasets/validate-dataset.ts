// Pure, streaming validation of a Bedrock customization dataset (JSONL, one JSON object per line, UTF-8).
// Record formats and conversation rules: bedrock-api.md §5.2. Size/token defaults: bedrock-api.md §5.3.
// Nothing here touches the file system: callers hand in raw chunks (e.g. a fs.ReadStream or a request body).

export type DatasetFormat = "prompt-completion" | "continued-pre-training" | "conversation" | "unknown";

export interface DatasetProblem {
  file: string;
  /** 1-based line number; 0 for problems about the file as a whole (e.g. it holds no records). */
  line: number;
  /** Path of the offending field inside the record, e.g. `messages[2].role`. */
  field?: string;
  reason: string;
}

export interface DatasetStats {
  /** Characters of training text (prompt, completion, input, system and message texts) over all records. */
  characters: number;
  /** Largest number of training-text characters in one record. */
  maxRecordCharacters: number;
  /** Largest token count of one record; only present when `countTokens` was given. */
  maxRecordTokens?: number;
  /** Records that passed every check. */
  validRecords: number;
  emptyLines: number;
}

export interface DatasetReport {
  format: DatasetFormat;
  /** Non-empty lines, valid or not. */
  records: number;
  /** Bytes read, including a BOM and line terminators. */
  bytes: number;
  problems: DatasetProblem[];
  /** Problems found beyond `maxProblems` and left out of `problems`. */
  omittedProblems: number;
  stats: DatasetStats;
}

export interface ValidateDatasetOptions {
  fileName: string;
  /** No default: record counts are adjustable service quotas that §5.3 does not document. */
  maxRecords?: number;
  /** Default: 1 GB (Titan fine-tuning training file), 10 GB for continued pre-training (§5.3). */
  maxBytes?: number;
  /** Default: 4,096 input+output tokens per record (Titan Text at batch size 1, §5.3). Needs `countTokens`. */
  maxRecordTokens?: number;
  countTokens?: (text: string) => number;
  /** Default 100. */
  maxProblems?: number;
}

export const CONVERSATION_SCHEMA_VERSION = "bedrock-conversation-2024";
const GB = 1_000_000_000;
export const DEFAULT_MAX_BYTES = 1 * GB;
export const DEFAULT_MAX_BYTES_CONTINUED_PRE_TRAINING = 10 * GB;
export const DEFAULT_MAX_RECORD_TOKENS = 4096;
export const DEFAULT_MAX_PROBLEMS = 100;

const FORMAT_LABEL: Record<Exclude<DatasetFormat, "unknown">, string> = {
  "prompt-completion": 'prompt/completion ({"prompt", "completion"})',
  "continued-pre-training": 'continued pre-training ({"input"})',
  conversation: `conversation (schemaVersion "${CONVERSATION_SCHEMA_VERSION}")`,
};

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonLine(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Splits raw chunks into lines of bytes (without the terminator; a trailing CR is dropped; a leading BOM too). */
async function* splitLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<{ line: Uint8Array; size: number }> {
  const encoder = new TextEncoder();
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let first = true;
  const take = (tail: Uint8Array, terminator: number): { line: Uint8Array; size: number } => {
    let line = tail;
    if (pending.length > 0) {
      line = new Uint8Array(pendingLength + tail.length);
      let at = 0;
      for (const part of pending) {
        line.set(part, at);
        at += part.length;
      }
      line.set(tail, at);
      pending = [];
      pendingLength = 0;
    }
    const size = line.length + terminator;
    if (first) {
      first = false;
      if (line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf)
        line = line.subarray(3);
    }
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    return { line, size };
  };
  for await (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      yield take(bytes.subarray(start, nl), 1);
      start = nl + 1;
    }
    if (start < bytes.length) {
      // Copy: the caller may reuse its chunk buffer.
      const rest = bytes.slice(start);
      pending.push(rest);
      pendingLength += rest.length;
    }
  }
  if (pendingLength > 0) yield take(new Uint8Array(0), 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function classify(record: Record<string, unknown>): Exclude<DatasetFormat, "unknown"> | undefined {
  if ("schemaVersion" in record || "messages" in record) return "conversation";
  if ("prompt" in record || "completion" in record) return "prompt-completion";
  if ("input" in record) return "continued-pre-training";
  return undefined;
}

interface RecordIssue {
  field?: string;
  reason: string;
}

/** Checks one record against a format; returns its problems and its training texts. */
function checkRecord(
  record: Record<string, unknown>,
  format: Exclude<DatasetFormat, "unknown">,
): { issues: RecordIssue[]; texts: string[] } {
  const issues: RecordIssue[] = [];
  const texts: string[] = [];
  const requireText = (value: unknown, field: string, present: boolean): void => {
    if (!present) issues.push({ field, reason: `"${field}" is missing` });
    else if (typeof value !== "string" || value === "")
      issues.push({ field, reason: `"${field}" must be a non-empty string, but it is ${describe(value)}` });
    else texts.push(value);
  };
  const onlyKeys = (obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void => {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const field = prefix === "" ? key : `${prefix}.${key}`;
        issues.push({
          field,
          reason: `unexpected key "${key}"${prefix === "" ? "" : ` in ${prefix}`}; allowed keys are ${allowed.map((k) => `"${k}"`).join(", ")}`,
        });
      }
    }
  };
  const checkTextBlocks = (value: unknown, field: string, allowEmptyList: boolean): void => {
    if (!Array.isArray(value)) {
      issues.push({
        field,
        reason: `"${field}" must be a list of {"text": ...} blocks, but it is ${describe(value)}`,
      });
      return;
    }
    if (value.length === 0 && !allowEmptyList) {
      issues.push({ field, reason: `"${field}" must hold at least one {"text": ...} block` });
      return;
    }
    value.forEach((block, i) => {
      const at = `${field}[${i}]`;
      if (!isObject(block)) {
        issues.push({
          field: at,
          reason: `"${at}" must be an object like {"text": "..."}, but it is ${describe(block)}`,
        });
        return;
      }
      onlyKeys(block, ["text"], at);
      requireText(block.text, `${at}.text`, "text" in block);
    });
  };

  switch (format) {
    case "prompt-completion":
      requireText(record.prompt, "prompt", "prompt" in record);
      requireText(record.completion, "completion", "completion" in record);
      onlyKeys(record, ["prompt", "completion"], "");
      break;
    case "continued-pre-training":
      requireText(record.input, "input", "input" in record);
      onlyKeys(record, ["input"], "");
      break;
    case "conversation": {
      if (!("schemaVersion" in record)) {
        issues.push({
          field: "schemaVersion",
          reason: `"schemaVersion" is missing; it must be "${CONVERSATION_SCHEMA_VERSION}"`,
        });
      } else if (record.schemaVersion !== CONVERSATION_SCHEMA_VERSION) {
        issues.push({
          field: "schemaVersion",
          reason: `"schemaVersion" must be "${CONVERSATION_SCHEMA_VERSION}", but it is ${JSON.stringify(record.schemaVersion)}`,
        });
      }
      onlyKeys(record, ["schemaVersion", "system", "messages"], "");
      if ("system" in record) checkTextBlocks(record.system, "system", true);
      const messages = record.messages;
      if (!("messages" in record)) {
        issues.push({ field: "messages", reason: `"messages" is missing` });
        break;
      }
      if (!Array.isArray(messages)) {
        issues.push({
          field: "messages",
          reason: `"messages" must be a list, but it is ${describe(messages)}`,
        });
        break;
      }
      if (messages.length < 2) {
        issues.push({
          field: "messages",
          reason: `"messages" must hold at least a user message followed by an assistant message, but it has ${messages.length}`,
        });
      }
      messages.forEach((message, i) => {
        const at = `messages[${i}]`;
        if (!isObject(message)) {
          issues.push({
            field: at,
            reason: `"${at}" must be an object with "role" and "content", but it is ${describe(message)}`,
          });
          return;
        }
        onlyKeys(message, ["role", "content"], at);
        const expected = i % 2 === 0 ? "user" : "assistant";
        const role = message.role;
        if (!("role" in message)) issues.push({ field: `${at}.role`, reason: `"${at}.role" is missing` });
        else if (role !== "user" && role !== "assistant")
          issues.push({
            field: `${at}.role`,
            reason: `"${at}.role" must be "user" or "assistant", but it is ${JSON.stringify(role)}`,
          });
        else if (role !== expected)
          issues.push({
            field: `${at}.role`,
            reason:
              i === 0
                ? `the conversation must start with a "user" message, but "${at}.role" is "${role}"`
                : `roles must alternate user/assistant, so "${at}.role" should be "${expected}", but it is "${role}"`,
          });
        if (!("content" in message))
          issues.push({ field: `${at}.content`, reason: `"${at}.content" is missing` });
        else checkTextBlocks(message.content, `${at}.content`, false);
      });
      const last = messages[messages.length - 1];
      if (messages.length > 0 && messages.length % 2 === 1 && isObject(last) && last.role === "user") {
        const at = `messages[${messages.length - 1}].role`;
        issues.push({
          field: at,
          reason: `the conversation must end with an "assistant" message, but "${at}" is "user"`,
        });
      }
      break;
    }
  }
  return { issues, texts };
}

export async function validateDataset(
  lines: AsyncIterable<Uint8Array | string>,
  options: ValidateDatasetOptions,
): Promise<DatasetReport> {
  const file = options.fileName;
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const maxRecordTokens = options.maxRecordTokens ?? DEFAULT_MAX_RECORD_TOKENS;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const problems: DatasetProblem[] = [];
  let omittedProblems = 0;
  const report = (line: number, reason: string, field?: string): void => {
    if (problems.length >= maxProblems) {
      omittedProblems++;
      return;
    }
    problems.push(field === undefined ? { file, line, reason } : { file, line, field, reason });
  };

  let format: DatasetFormat = "unknown";
  let formatLine = 0;
  let records = 0;
  let bytes = 0;
  let lineNumber = 0;
  let sizeReported = false;
  const stats: DatasetStats = { characters: 0, maxRecordCharacters: 0, validRecords: 0, emptyLines: 0 };
  if (options.countTokens) stats.maxRecordTokens = 0;

  for await (const { line: raw, size } of splitLines(lines)) {
    lineNumber++;
    bytes += size;
    const maxBytes =
      options.maxBytes ??
      (format === "continued-pre-training" ? DEFAULT_MAX_BYTES_CONTINUED_PRE_TRAINING : DEFAULT_MAX_BYTES);
    if (!sizeReported && bytes > maxBytes) {
      sizeReported = true;
      report(
        lineNumber,
        `the file is larger than the limit of ${maxBytes} bytes (reached while reading this line)`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      records++;
      report(lineNumber, "the line is not valid UTF-8 text");
      continue;
    }
    if (text.trim() === "") {
      stats.emptyLines++;
      report(lineNumber, "empty line; every line must hold one JSON record");
      continue;
    }
    records++;
    if (options.maxRecords !== undefined && records === options.maxRecords + 1) {
      report(
        lineNumber,
        `too many records: the limit is ${options.maxRecords}, and this is record ${records}`,
      );
    }
    const parsed = parseJsonLine(text);
    if (!parsed.ok) {
      report(lineNumber, `invalid JSON: ${parsed.error}`);
      continue;
    }
    if (!isObject(parsed.value)) {
      report(lineNumber, `each line must be a JSON object, but this one is ${describe(parsed.value)}`);
      continue;
    }
    const record = parsed.value;
    const kind = classify(record);
    if (format === "unknown") {
      if (kind === undefined) {
        report(
          lineNumber,
          `the record matches no known format; expected {"prompt", "completion"}, {"input"} or {"schemaVersion": "${CONVERSATION_SCHEMA_VERSION}", "messages"}`,
        );
        continue;
      }
      format = kind;
      formatLine = lineNumber;
    } else if (kind !== undefined && kind !== format) {
      report(
        lineNumber,
        `mixed formats: this record is ${FORMAT_LABEL[kind]}, but the file's format is ${FORMAT_LABEL[format]} (from line ${formatLine})`,
      );
      continue;
    }
    const { issues, texts } = checkRecord(record, format);
    for (const issue of issues) report(lineNumber, issue.reason, issue.field);
    const characters = texts.reduce((sum, t) => sum + t.length, 0);
    stats.characters += characters;
    stats.maxRecordCharacters = Math.max(stats.maxRecordCharacters, characters);
    let tooManyTokens = false;
    if (options.countTokens) {
      const tokens = options.countTokens(texts.join("\n"));
      stats.maxRecordTokens = Math.max(stats.maxRecordTokens ?? 0, tokens);
      if (tokens > maxRecordTokens) {
        tooManyTokens = true;
        report(lineNumber, `the record has ${tokens} tokens, more than the limit of ${maxRecordTokens}`);
      }
    }
    if (issues.length === 0 && !tooManyTokens) stats.validRecords++;
  }

  if (records === 0) report(0, "the file holds no records");
  return { format, records, bytes, problems, omittedProblems, stats };
}
