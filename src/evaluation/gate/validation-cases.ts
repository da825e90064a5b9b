// A customization job's validation records as evaluation cases, prompted exactly as the job trained them:
// {"prompt","completion"} as raw text (BOS + prompt; the reference is the completion), conversations through the
// model's chat template up to the last assistant turn (the reference is that turn), {"input"} documents as text
// scored from the start (loss and perplexity only: there is no prompt to answer). The files were validated when
// the job was created; a line that still does not fit is skipped and not counted.
import { readFile } from "node:fs/promises";
import { datasetRecordLines } from "../../customization/datasets/dataset-lines.js";
import type { ChatMessage } from "../../inference/engine/inference-engine.js";
import type { EvaluationCase } from "../run/evaluation-case.js";

export interface ValidationCases {
  cases: EvaluationCase[];
  /** Records in the files (before the cap). */
  records: number;
  /** Whether the records are documents to score rather than prompts to answer. */
  documentsOnly: boolean;
}

interface TextBlock {
  text?: unknown;
}

const joinBlocks = (blocks: unknown): string | undefined =>
  Array.isArray(blocks) && blocks.every((block: TextBlock) => typeof block?.text === "string")
    ? blocks.map((block: TextBlock) => block.text as string).join("\n")
    : undefined;

function caseOf(record: Record<string, unknown>, line: number): EvaluationCase | "document" | undefined {
  if (typeof record.prompt === "string" && typeof record.completion === "string")
    return {
      line,
      promptText: record.prompt,
      prompt: { kind: "text", text: record.prompt },
      reference: record.completion,
    };
  if (typeof record.input === "string") return "document";
  if (!Array.isArray(record.messages)) return undefined;
  const turns = (record.messages as { role?: unknown; content?: unknown }[]).map((message) => ({
    role: message.role,
    text: joinBlocks(message.content),
  }));
  const last = turns.at(-1);
  if (last?.role !== "assistant" || last.text === undefined) return undefined;
  const messages: Extract<ChatMessage, { text: string }>[] = [];
  for (const turn of turns.slice(0, -1)) {
    if (turn.text === undefined || (turn.role !== "user" && turn.role !== "assistant")) return undefined;
    messages.push({ role: turn.role, text: turn.text });
  }
  const system = record.system === undefined ? undefined : joinBlocks(record.system);
  const shown =
    messages.length === 1
      ? (messages[0]?.text ?? "")
      : messages.map((message) => `${message.role}: ${message.text}`).join("\n");
  return {
    line,
    promptText: shown,
    prompt: { kind: "chat", ...(system ? { system } : {}), messages },
    reference: last.text,
  };
}

export async function validationCases(paths: readonly string[], maxCases: number): Promise<ValidationCases> {
  const cases: EvaluationCase[] = [];
  let records = 0;
  let documents = 0;
  for (const path of paths) {
    let line = 0;
    for await (const text of datasetRecordLines(oneChunk(await readFile(path)))) {
      line++;
      records++;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        continue;
      }
      if (typeof record !== "object" || record === null) continue;
      const made = caseOf(record as Record<string, unknown>, line);
      if (made === "document") {
        documents++;
        if (cases.length < maxCases)
          cases.push({
            line,
            promptText: "",
            prompt: { kind: "text", text: "" },
            reference: (record as { input: string }).input,
          });
      } else if (made && cases.length < maxCases) cases.push(made);
    }
  }
  return { cases, records, documentsOnly: documents > 0 && documents === records };
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
