// A custom prompt dataset in Bedrock's format for automated model evaluation: JSON Lines, one object per line
// with "prompt" (required), "referenceResponse" and "category" (optional strings). Parsed, not trusted: every
// line is checked and every problem is reported with its line and field, so a bad file is refused at
// CreateEvaluationJob with all that is wrong with it, before any model runs.

export interface EvaluationRecord {
  /** 1-based line number in the file. */
  line: number;
  prompt: string;
  referenceResponse?: string;
  category?: string;
}

export interface DatasetProblem {
  line: number;
  field?: string;
  reason: string;
}

export type ParsedDataset =
  | { ok: true; records: EvaluationRecord[] }
  | { ok: false; problems: DatasetProblem[] };

export interface DatasetRules {
  /** Bedrock allows at most 1,000 prompts in a custom prompt dataset. */
  maxRecords: number;
  /** Every metric but latency and cost compares against a reference. */
  requireReference: boolean;
}

const knownKeys = ["prompt", "referenceResponse", "category"];

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

function parseRecord(text: string, line: number, rules: DatasetRules): EvaluationRecord | DatasetProblem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ line, reason: `invalid JSON: ${(error as Error).message}` }];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [{ line, reason: `each line must be a JSON object, but it is ${describe(value)}` }];
  const fields = value as Record<string, unknown>;
  const problems: DatasetProblem[] = [];
  for (const key of Object.keys(fields)) {
    if (knownKeys.includes(key)) continue;
    const hint =
      key === "modelResponses"
        ? "; Strata runs the models itself and does not take precomputed responses"
        : `; allowed keys are ${knownKeys.map((known) => `"${known}"`).join(", ")}`;
    problems.push({ line, field: key, reason: `unexpected key "${key}"${hint}` });
  }
  const stringField = (field: string, required: boolean): string | undefined => {
    const raw = fields[field];
    if (raw === undefined) {
      if (required) problems.push({ line, field, reason: `"${field}" is missing` });
      return undefined;
    }
    if (typeof raw !== "string" || raw.trim() === "") {
      problems.push({
        line,
        field,
        reason: `"${field}" must be a non-empty string, but it is ${describe(raw)}`,
      });
      return undefined;
    }
    return raw;
  };
  const prompt = stringField("prompt", true);
  const referenceResponse = stringField("referenceResponse", rules.requireReference);
  const category = stringField("category", false);
  if (problems.length > 0 || prompt === undefined) return problems;
  return {
    line,
    prompt,
    ...(referenceResponse !== undefined ? { referenceResponse } : {}),
    ...(category !== undefined ? { category } : {}),
  };
}

export function parseEvaluationDataset(bytes: Uint8Array, rules: DatasetRules): ParsedDataset {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const records: EvaluationRecord[] = [];
  const problems: DatasetProblem[] = [];
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const isLast = newline === -1 || newline === bytes.length - 1;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(start, end)).replace(/\r$/, "");
    } catch {
      problems.push({ line, reason: "the line is not valid UTF-8" });
      start = end + 1;
      continue;
    }
    start = end + 1;
    if (text.trim() === "") {
      if (!isLast) problems.push({ line, reason: "empty line; every line must hold one JSON record" });
      continue;
    }
    const parsed = parseRecord(text, line, rules);
    if (Array.isArray(parsed)) problems.push(...parsed);
    else records.push(parsed);
  }
  if (records.length + problems.length === 0)
    problems.push({ line: 1, reason: "the dataset has no records" });
  else if (records.length > rules.maxRecords)
    problems.push({
      line: line,
      reason: `the dataset has ${records.length} records; an evaluation takes at most ${rules.maxRecords}`,
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records };
}

/** One message for all of a file's problems (the first ten, then how many more), each naming line and field. */
export function describeDatasetProblems(location: string, problems: readonly DatasetProblem[]): string {
  const shown = problems.slice(0, 10).map((problem) => {
    const field = problem.field ? `, field "${problem.field}"` : "";
    return `line ${problem.line}${field}: ${problem.reason}`;
  });
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : "";
  return `The evaluation dataset ${location} is not usable: ${shown.join("; ")}${more}.`;
}
