// Whether a checkpoint may be resumed by this run's config. A checkpoint continues the run that wrote it, so the
// settings that shape its parameters, its data stream or its trajectory must be the same; the others (steps,
// validation, checkpoint cadence, threads, output path) may change between attempts, e.g. to extend a run.
import { createHash } from "node:crypto";
import type { TrainingConfig, TrainingData } from "./training-config.js";

/** What checkpoint.json records of the config: every setting but the data, and a digest of the training data. */
export type CheckpointConfig = Omit<TrainingConfig, "training" | "validation"> & {
  trainingDataSha256: string;
};

export function checkpointConfig(config: TrainingConfig): CheckpointConfig {
  const { training, validation: _validation, ...settings } = config;
  return { ...settings, trainingDataSha256: trainingDataDigest(training) };
}

export function trainingDataDigest(data: TrainingData): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}

/** The settings a resume must keep; the LoRA ones only when both runs are LoRA runs (a mode change says enough). */
const mustMatch = [
  "modelPath",
  "trainingDataSha256",
  "mode",
  "loraRank",
  "loraAlpha",
  "loraTargets",
  "sequenceLength",
  "learningRate",
  "seed",
] as const;
const loraOnly = new Set<string>(["loraRank", "loraAlpha", "loraTargets"]);

const allTargets = ["q", "k", "v", "o", "gate", "up", "down"];

function normalise(field: string, value: unknown): unknown {
  if (field !== "loraTargets") return value;
  if (value === "all") return allTargets;
  return Array.isArray(value) ? allTargets.filter((target) => value.includes(target)) : value;
}

export interface ConfigDifference {
  /** The config's name for the setting ("training" for the data). */
  field: string;
  checkpoint: unknown;
  run: unknown;
}

/**
 * The settings in which the saved config and this run's differ. A setting the saved config does not record
 * (a checkpoint from an older version) is not compared.
 */
export function checkpointConfigDifferences(
  saved: Record<string, unknown>,
  current: CheckpointConfig,
): ConfigDifference[] {
  const run: Record<string, unknown> = { ...current };
  const bothLora = saved.mode !== "full" && run.mode !== "full";
  const differences: ConfigDifference[] = [];
  for (const field of mustMatch) {
    if (!(field in saved) || (loraOnly.has(field) && !bothLora)) continue;
    const before = normalise(field, saved[field]);
    const after = normalise(field, run[field]);
    if (JSON.stringify(before) !== JSON.stringify(after))
      differences.push({
        field: field === "trainingDataSha256" ? "training" : field,
        checkpoint: before,
        run: after,
      });
  }
  return differences;
}

/** "learningRate (checkpoint 0.001, this run 0.002), training (not the data …)" */
export function describeDifferences(differences: readonly ConfigDifference[]): string {
  return differences
    .map(({ field, checkpoint, run }) =>
      field === "training"
        ? "training (not the data the checkpoint was trained on)"
        : `${field} (checkpoint ${JSON.stringify(checkpoint)}, this run ${JSON.stringify(run)})`,
    )
    .join(", ");
}
