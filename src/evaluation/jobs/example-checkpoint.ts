// Each example's result is appended to <data-dir>/evaluation/<job id>/examples.jsonl as soon as it is known, so a
// job cut short by a restart resumes where it was instead of answering every prompt again. Lines are parsed
// back, not trusted: a line the crash cut in half is skipped (that example simply runs again).
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExampleResult } from "../run/evaluation-case.js";

export interface CheckpointedResult {
  dataset: number;
  model: number;
  example: number;
  result: ExampleResult;
}

export function evaluationWorkDirectory(dataDirectory: string, jobId: string): string {
  return join(dataDirectory, "evaluation", jobId);
}

function parseLine(line: string): CheckpointedResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { dataset, model, example, result } = value as Record<string, unknown>;
  const index = (entry: unknown): entry is number => Number.isInteger(entry) && (entry as number) >= 0;
  if (!index(dataset) || !index(model) || !index(example)) return undefined;
  if (typeof result !== "object" || result === null || !Number.isInteger((result as ExampleResult).line))
    return undefined;
  return { dataset, model, example, result: result as ExampleResult };
}

export class ExampleCheckpoint {
  private readonly path: string;

  constructor(directory: string) {
    this.path = join(directory, "examples.jsonl");
  }

  /** Results already known, keyed `dataset/model/example`. */
  async load(): Promise<Map<string, ExampleResult>> {
    const text = await readFile(this.path, "utf8").catch(() => "");
    // A half-written last line must not swallow the next result appended after it.
    if (text !== "" && !text.endsWith("\n")) await appendFile(this.path, "\n");
    const results = new Map<string, ExampleResult>();
    for (const line of text.split("\n")) {
      const parsed = line.trim() === "" ? undefined : parseLine(line);
      if (parsed) results.set(checkpointKey(parsed.dataset, parsed.model, parsed.example), parsed.result);
    }
    return results;
  }

  async append(entry: CheckpointedResult): Promise<void> {
    await mkdir(join(this.path, ".."), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
  }
}

export function checkpointKey(dataset: number, model: number, example: number): string {
  return `${dataset}/${model}/${example}`;
}
