// Counts the record shapes of a dataset's first records (the advisor needs the shape, not every record).

import { datasetRecordLines } from "../datasets/dataset-lines.js";
import { parseJsonLine } from "../datasets/validate-dataset.js";
import { classifyRecord, type RecordShape } from "./advise-customization-method.js";

export async function sampleRecordShapes(
  chunks: AsyncIterable<Uint8Array | string>,
  maxRecords = 1000,
): Promise<Partial<Record<RecordShape, number>>> {
  const counts: Partial<Record<RecordShape, number>> = {};
  let seen = 0;
  for await (const line of datasetRecordLines(chunks)) {
    const parsed = parseJsonLine(line);
    const shape = parsed.ok ? classifyRecord(parsed.value) : "other";
    counts[shape] = (counts[shape] ?? 0) + 1;
    if (++seen >= maxRecords) break;
  }
  return counts;
}
