// Examples packed into rows of at most sequenceLength predictions. Each example becomes its own document in the
// row (the core's block-diagonal attention keeps documents apart and restarts positions), so nothing is padded
// and no example sees another. An example longer than a row is split into several documents.
import type { TrainingBatch } from "../native-trainer.js";
import type { TokenizedExample } from "./tokenized-example.js";

export interface PackedRow extends TrainingBatch {
  tokens: number[];
  targets: number[];
  lossMask: number[];
  documentIds: number[];
}

export function packExamples(examples: readonly TokenizedExample[], sequenceLength: number): PackedRow[] {
  const rows: PackedRow[] = [];
  let row = emptyRow();
  let documentId = 0;
  const flush = () => {
    if (row.tokens.length > 0 && row.lossMask.some((value) => value === 1)) rows.push(row);
    row = emptyRow();
    documentId = 0;
  };
  for (const example of examples) {
    // The predictions of this example: tokens[i] → tokens[i + 1].
    let next = 0;
    const predictions = example.tokens.length - 1;
    while (next < predictions) {
      if (row.tokens.length === sequenceLength) flush();
      const take = Math.min(predictions - next, sequenceLength - row.tokens.length);
      for (let i = next; i < next + take; i++) {
        row.tokens.push(example.tokens[i] ?? 0);
        row.targets.push(example.tokens[i + 1] ?? 0);
        row.lossMask.push(example.trained[i + 1] ? 1 : 0);
        row.documentIds.push(documentId);
      }
      documentId++;
      next += take;
    }
  }
  flush();
  return rows;
}

function emptyRow(): PackedRow {
  return { tokens: [], targets: [], lossMask: [], documentIds: [] };
}
