// Without a validation file, early stopping needs records the head does not train on: a seeded share of the
// training records, taken from each class in proportion (at least one per class that has two or more), so a
// rare class is not left out of either side.

import { seededShuffle } from "../classifier/seeded-random.js";
import type { LabeledRecord } from "../datasets/labeled-dataset.js";

export function holdOutValidation(
  records: readonly LabeledRecord[],
  fraction: number,
  seed: number,
): { training: LabeledRecord[]; validation: LabeledRecord[] } {
  const byLabel = new Map<string, LabeledRecord[]>();
  for (const record of records) byLabel.set(record.label, [...(byLabel.get(record.label) ?? []), record]);
  const held = new Set<LabeledRecord>();
  for (const members of byLabel.values()) {
    if (members.length < 2) continue;
    const count = Math.min(members.length - 1, Math.max(1, Math.round(members.length * fraction)));
    for (const record of seededShuffle(members, seed).slice(0, count)) held.add(record);
  }
  return {
    training: records.filter((record) => !held.has(record)),
    validation: records.filter((record) => held.has(record)),
  };
}
