// Training speed measured on this host, per (base GGUF, method, LoRA rank, sequence length): every finished job
// and every dry run that had to measure records its tokens/s, and later dry runs estimate wall time from it.
import type { Kysely } from "kysely";
import type { StrataDatabase } from "../../storage/database/database-schema.js";

export interface ThroughputKey {
  baseModelFile: string;
  trainingMethod: string;
  loraRank: number;
  sequenceLength: number;
}

export class TrainingThroughputStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async record(key: ThroughputKey, tokensPerSecond: number): Promise<void> {
    if (!Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return;
    const row = {
      base_model_file: key.baseModelFile,
      training_method: key.trainingMethod,
      lora_rank: key.trainingMethod === "lora" ? key.loraRank : 0,
      sequence_length: key.sequenceLength,
      tokens_per_second: tokensPerSecond,
      measured_at: new Date().toISOString(),
    };
    await this.database
      .insertInto("training_throughput")
      .values(row)
      .onConflict((conflict) =>
        conflict
          .columns(["base_model_file", "training_method", "lora_rank", "sequence_length"])
          .doUpdateSet({ tokens_per_second: row.tokens_per_second, measured_at: row.measured_at }),
      )
      .execute();
  }

  async find(key: ThroughputKey): Promise<{ tokensPerSecond: number; measuredAt: Date } | undefined> {
    const row = await this.database
      .selectFrom("training_throughput")
      .selectAll()
      .where("base_model_file", "=", key.baseModelFile)
      .where("training_method", "=", key.trainingMethod)
      .where("lora_rank", "=", key.trainingMethod === "lora" ? key.loraRank : 0)
      .where("sequence_length", "=", key.sequenceLength)
      .executeTakeFirst();
    return row
      ? { tokensPerSecond: row.tokens_per_second, measuredAt: new Date(row.measured_at) }
      : undefined;
  }
}

/** The median of a run's per-step speeds, leaving out the first step (allocation and warm-up). */
export function typicalTokensPerSecond(speeds: readonly number[]): number | undefined {
  const steady = (speeds.length > 1 ? speeds.slice(1) : speeds).filter(
    (speed) => Number.isFinite(speed) && speed > 0,
  );
  if (steady.length === 0) return undefined;
  const sorted = [...steady].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
