// Per-step training metrics and per-evaluation validation metrics of a job. Keyed by (job, kind, step), so the
// steps a resumed run repeats after its last checkpoint replace what the interrupted run had recorded.
import type { Kysely } from "kysely";
import type { CustomizationJobMetricTable, StrataDatabase } from "../../storage/database/database-schema.js";

export interface MetricPoint {
  kind: "training" | "validation";
  /** The optimizer step after which it was measured (1-based, as the trainer counts). */
  step: number;
  /** 0-based epoch of that step. */
  epoch: number;
  loss: number;
  perplexity: number;
  learningRate?: number;
  tokensPerSecond?: number;
  /** Set when read back. */
  recordedAt?: Date;
}

export class CustomizationMetricsStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async record(jobId: string, point: MetricPoint): Promise<void> {
    const row: CustomizationJobMetricTable = {
      job_id: jobId,
      kind: point.kind,
      step: point.step,
      epoch: point.epoch,
      loss: point.loss,
      perplexity: point.perplexity,
      learning_rate: point.learningRate ?? null,
      tokens_per_second: point.tokensPerSecond ?? null,
      recorded_at: new Date().toISOString(),
    };
    await this.database
      .insertInto("customization_job_metrics")
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(["job_id", "kind", "step"]).doUpdateSet({
          epoch: row.epoch,
          loss: row.loss,
          perplexity: row.perplexity,
          learning_rate: row.learning_rate,
          tokens_per_second: row.tokens_per_second,
          recorded_at: row.recorded_at,
        }),
      )
      .execute();
  }

  async list(jobId: string, kind?: MetricPoint["kind"], afterStep = -1): Promise<MetricPoint[]> {
    let query = this.database
      .selectFrom("customization_job_metrics")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("step", ">", afterStep);
    if (kind) query = query.where("kind", "=", kind);
    const rows = await query.orderBy("step").orderBy("kind").execute();
    return rows.map((row) => ({
      kind: row.kind,
      step: row.step,
      epoch: row.epoch,
      loss: row.loss,
      perplexity: row.perplexity,
      ...(row.learning_rate === null ? {} : { learningRate: row.learning_rate }),
      ...(row.tokens_per_second === null ? {} : { tokensPerSecond: row.tokens_per_second }),
      recordedAt: new Date(row.recorded_at),
    }));
  }

  /** Wall seconds per optimizer step over the last few recorded steps (for the ETA); undefined before two. */
  async recentSecondsPerStep(jobId: string, window = 5): Promise<number | undefined> {
    const rows = await this.database
      .selectFrom("customization_job_metrics")
      .select(["step", "recorded_at"])
      .where("job_id", "=", jobId)
      .where("kind", "=", "training")
      .orderBy("step", "desc")
      .limit(window + 1)
      .execute();
    const newest = rows[0];
    const oldest = rows.at(-1);
    if (!newest || !oldest || newest.step === oldest.step) return undefined;
    const seconds = (Date.parse(newest.recorded_at) - Date.parse(oldest.recorded_at)) / 1000;
    return Math.max(0, seconds) / (newest.step - oldest.step);
  }
}
