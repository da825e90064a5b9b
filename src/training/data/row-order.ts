// Where the run is in its data: epoch and position in that epoch's seeded order. The order of an epoch is a
// pure function of (seed, epoch), so the cursor alone restores the exact data stream on resume.
import type { PackedRow } from "./pack-examples.js";
import { seededShuffle } from "./seeded-shuffle.js";

export interface DataCursor {
  epoch: number;
  position: number;
}

export const dataStart: DataCursor = { epoch: 0, position: 0 };

export function epochOrder(rowCount: number, seed: number, epoch: number): number[] {
  const indices = Array.from({ length: rowCount }, (_, i) => i);
  return seededShuffle(indices, (seed + Math.imul(epoch, 0x9e3779b1)) >>> 0);
}

/** The next `count` rows from the cursor (crossing into the next epoch when one runs out), and the cursor after. */
export function takeRows(
  rows: readonly PackedRow[],
  cursor: DataCursor,
  count: number,
  seed: number,
): { rows: PackedRow[]; next: DataCursor } {
  if (rows.length === 0) throw new Error("the training data produced no rows with trained tokens");
  const taken: PackedRow[] = [];
  let { epoch, position } = cursor;
  let order = epochOrder(rows.length, seed, epoch);
  while (taken.length < count) {
    if (position >= rows.length) {
      epoch++;
      position = 0;
      order = epochOrder(rows.length, seed, epoch);
    }
    taken.push(rows[order[position] ?? 0] as PackedRow);
    position++;
  }
  return { rows: taken, next: { epoch, position } };
}
