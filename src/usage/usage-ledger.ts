// The usage ledger: every runtime invocation, priced, in the usage_invocations table. record() is on the
// request path, so it only prices the invocation (pure arithmetic) and queues the row; rows are written in
// batches, one transaction per batch, shortly afterwards (or as soon as a batch is full), and whatever is
// still queued is written by close(). A failed write is logged and its rows are dropped: usage accounting
// never fails or slows down an invocation.
import { type Kysely, type Selectable, sql } from "kysely";
import { modelIdFromIdentifier } from "../catalog/catalog.js";
import { describeError, type Logger } from "../logging/logger.js";
import type { StrataDatabase, UsageInvocationTable } from "../storage/database/database-schema.js";
import type { InvocationRecord, UsageRecorder } from "./invocation-record.js";
import { percentile, sortedAscending } from "./percentile.js";
import {
  type InvocationPrice,
  type PriceBasis,
  type PriceList,
  priceInvocation,
} from "./price-invocation.js";

/** An invocation as the ledger returns it: the record and how it was priced. */
export interface RecordedInvocation extends InvocationRecord {
  price: InvocationPrice;
}

export interface InvocationQuery {
  /** The catalog model that served it, or the Bedrock id a local model stood in for (id or ARN). */
  modelId?: string;
  /** Inclusive: startedAt >= from. */
  from?: Date;
  /** Exclusive: startedAt < to. */
  to?: Date;
  callerKeyId?: string;
}

export type UsageGroupBy = "model" | "model-day";

export interface UsageSummaryQuery {
  from?: Date;
  to?: Date;
  groupBy: UsageGroupBy;
  callerKeyId?: string;
}

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface UsageSummaryGroup {
  /** The catalog model that served the invocations. */
  modelId: string;
  /** UTC day (YYYY-MM-DD) of startedAt, when grouped by model-day. */
  day?: string;
  invocations: number;
  /** Invocations whose status is not "success". */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: LatencyPercentiles;
  /** Over the invocations that reported a time to first token (streaming ones); absent if none did. */
  timeToFirstTokenMsP50?: number;
  costUsd: number;
  /** What Bedrock would have charged for the invocations a local model served under a Bedrock id. */
  bedrockEquivalentCostUsd?: number;
}

export interface UsageLedgerOptions {
  database: Kysely<StrataDatabase>;
  prices: PriceList;
  logger: Logger;
  /** Rows per write transaction; a full batch is written at once. Default 500. */
  batchSize?: number;
  /** How long a partial batch waits for company before it is written. Default 100 ms. */
  flushIntervalMs?: number;
  /** Rows held in memory at most while writes lag or fail; beyond it new rows are dropped (logged). */
  maxQueuedRows?: number;
}

type UsageRow = Omit<Selectable<UsageInvocationTable>, "id">;

/** Rows per INSERT statement: 24 columns each stays far under SQLite's bound-parameter limit. */
const rowsPerStatement = 400;

export class UsageLedger implements UsageRecorder {
  private readonly database: Kysely<StrataDatabase>;
  private readonly prices: PriceList;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueuedRows: number;
  private queue: UsageRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private droppedSinceLastWarning = 0;

  constructor(options: UsageLedgerOptions) {
    this.database = options.database;
    this.prices = options.prices;
    this.logger = options.logger;
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 100);
    this.maxQueuedRows = Math.max(this.batchSize, options.maxQueuedRows ?? 100_000);
  }

  /** Prices and queues the invocation; returns at once and never throws. */
  record(invocation: InvocationRecord): void {
    try {
      if (this.closed) {
        this.logger.warn("usage ledger is closed: invocation not recorded", {
          requestId: invocation.requestId,
        });
        return;
      }
      if (this.queue.length >= this.maxQueuedRows) {
        this.droppedSinceLastWarning += 1;
        if (this.droppedSinceLastWarning === 1) {
          this.logger.warn("usage ledger queue is full: invocations are not being recorded", {
            maxQueuedRows: this.maxQueuedRows,
          });
        }
        return;
      }
      checkRecord(invocation);
      this.queue.push(toRow(invocation, priceInvocation(invocation, this.prices)));
      this.schedule();
    } catch (error) {
      this.logger.error("usage ledger could not record an invocation", {
        requestId: safeRequestId(invocation),
        ...describeError(error),
      });
    }
  }

  /** Writes everything queued so far. Never rejects: failed writes are logged. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
        // Rows that arrived while the last batch was being written.
        if (this.queue.length > 0 && !this.closed) this.schedule();
      });
    }
    return this.flushing;
  }

  /** Writes what is queued and stops accepting records. Does not close the database. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearSchedule();
    while (this.queue.length > 0 || this.flushing) await this.flush();
  }

  /** Invocations, most recent first. Rows still queued are written first, so a caller reads its own. */
  async query(filter: InvocationQuery = {}): Promise<RecordedInvocation[]> {
    await this.flush();
    let select = this.database.selectFrom("usage_invocations").selectAll();
    if (filter.from) select = select.where("started_at", ">=", filter.from.toISOString());
    if (filter.to) select = select.where("started_at", "<", filter.to.toISOString());
    if (filter.callerKeyId !== undefined) select = select.where("caller_key_id", "=", filter.callerKeyId);
    if (filter.modelId !== undefined) {
      const modelId = modelIdFromIdentifier(filter.modelId);
      select = select.where((eb) =>
        eb.or([eb("model_id", "=", modelId), eb("bedrock_model_id", "=", modelId)]),
      );
    }
    const rows = await select.orderBy("started_at", "desc").orderBy("id", "desc").execute();
    return rows.map(fromRow);
  }

  /** Per model (and UTC day) totals and latency percentiles, ordered by model id then day. */
  async summarize(options: UsageSummaryQuery): Promise<UsageSummaryGroup[]> {
    await this.flush();
    let select = this.database
      .selectFrom("usage_invocations")
      .select([
        "model_id",
        sql<string>`substr(started_at, 1, 10)`.as("day"),
        "status",
        "input_tokens",
        "output_tokens",
        "latency_ms",
        "time_to_first_token_ms",
        "cost_usd",
        "bedrock_cost_usd",
      ]);
    if (options.from) select = select.where("started_at", ">=", options.from.toISOString());
    if (options.to) select = select.where("started_at", "<", options.to.toISOString());
    if (options.callerKeyId !== undefined) select = select.where("caller_key_id", "=", options.callerKeyId);
    const rows = await select.execute();

    interface Accumulator {
      group: Omit<UsageSummaryGroup, "latencyMs" | "timeToFirstTokenMsP50">;
      latencies: number[];
      timesToFirstToken: number[];
    }
    const groups = new Map<string, Accumulator>();
    for (const row of rows) {
      const day = options.groupBy === "model-day" ? row.day : undefined;
      const key = day === undefined ? row.model_id : `${row.model_id}\u0000${day}`;
      let accumulator = groups.get(key);
      if (!accumulator) {
        accumulator = {
          group: {
            modelId: row.model_id,
            ...(day === undefined ? {} : { day }),
            invocations: 0,
            errors: 0,
            inputTokens: 0,
            outputTokens: 0,
            costUsd: 0,
          },
          latencies: [],
          timesToFirstToken: [],
        };
        groups.set(key, accumulator);
      }
      const { group } = accumulator;
      group.invocations += 1;
      if (row.status !== "success") group.errors += 1;
      group.inputTokens += row.input_tokens;
      group.outputTokens += row.output_tokens;
      group.costUsd += row.cost_usd;
      if (row.bedrock_cost_usd !== null) {
        group.bedrockEquivalentCostUsd = (group.bedrockEquivalentCostUsd ?? 0) + row.bedrock_cost_usd;
      }
      accumulator.latencies.push(row.latency_ms);
      if (row.time_to_first_token_ms !== null) accumulator.timesToFirstToken.push(row.time_to_first_token_ms);
    }

    return [...groups.values()]
      .map(({ group, latencies, timesToFirstToken }): UsageSummaryGroup => {
        const sortedLatencies = sortedAscending(latencies);
        const timeToFirstTokenMsP50 = percentile(sortedAscending(timesToFirstToken), 50);
        return {
          ...group,
          latencyMs: {
            p50: percentile(sortedLatencies, 50) ?? 0,
            p95: percentile(sortedLatencies, 95) ?? 0,
            p99: percentile(sortedLatencies, 99) ?? 0,
          },
          ...(timeToFirstTokenMsP50 === undefined ? {} : { timeToFirstTokenMsP50 }),
        };
      })
      .sort((a, b) => compareText(a.modelId, b.modelId) || compareText(a.day ?? "", b.day ?? ""));
  }

  private schedule(): void {
    if (this.queue.length >= this.batchSize) {
      // A full batch: write it on the next turn of the event loop, not inside the caller's.
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.flush();
      });
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  private clearSchedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      await this.write(batch);
    }
  }

  private async write(batch: UsageRow[]): Promise<void> {
    try {
      await this.database.transaction().execute(async (transaction) => {
        for (let start = 0; start < batch.length; start += rowsPerStatement) {
          await transaction
            .insertInto("usage_invocations")
            .values(batch.slice(start, start + rowsPerStatement))
            .execute();
        }
      });
      if (this.droppedSinceLastWarning > 0) {
        this.logger.warn("usage ledger dropped invocations while its queue was full", {
          dropped: this.droppedSinceLastWarning,
        });
        this.droppedSinceLastWarning = 0;
      }
    } catch (error) {
      this.logger.error("usage ledger write failed: invocations not recorded", {
        rows: batch.length,
        firstRequestId: batch[0]?.request_id,
        ...describeError(error),
      });
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function safeRequestId(invocation: unknown): unknown {
  return typeof invocation === "object" && invocation !== null
    ? (invocation as { requestId?: unknown }).requestId
    : undefined;
}

/** One malformed record must not sink the batch it would be written with (NOT NULL, NaN): refuse it alone. */
function checkRecord(invocation: InvocationRecord): void {
  for (const key of [
    "requestId",
    "requestedModelId",
    "modelId",
    "operation",
    "callerKeyId",
    "status",
  ] as const) {
    if (typeof invocation[key] !== "string") throw new TypeError(`${key} is not a string`);
  }
  for (const key of ["inputTokens", "outputTokens", "latencyMs"] as const) {
    const value = invocation[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`${key} is not a finite number >= 0: ${String(value)}`);
    }
  }
  const ttft = invocation.timeToFirstTokenMs;
  if (ttft !== undefined && (typeof ttft !== "number" || !Number.isFinite(ttft) || ttft < 0)) {
    throw new TypeError(`timeToFirstTokenMs is not a finite number >= 0: ${String(ttft)}`);
  }
  if (invocation.servedBy !== "LOCAL_ENGINE" && invocation.servedBy !== "PASS_THROUGH") {
    throw new TypeError(`servedBy is not LOCAL_ENGINE or PASS_THROUGH: ${String(invocation.servedBy)}`);
  }
  const startedAt = invocation.startedAt;
  if (!(startedAt instanceof Date) || Number.isNaN(startedAt.getTime())) {
    throw new TypeError(`startedAt is not a valid Date: ${String(startedAt)}`);
  }
}

function toRow(invocation: InvocationRecord, price: InvocationPrice): UsageRow {
  const startedAt = invocation.startedAt;
  const equivalent = price.bedrockEquivalent;
  return {
    request_id: invocation.requestId,
    requested_model_id: invocation.requestedModelId,
    model_id: invocation.modelId,
    served_by: invocation.servedBy,
    operation: invocation.operation,
    caller_key_id: invocation.callerKeyId,
    input_tokens: invocation.inputTokens,
    output_tokens: invocation.outputTokens,
    time_to_first_token_ms: invocation.timeToFirstTokenMs ?? null,
    latency_ms: invocation.latencyMs,
    status: invocation.status,
    started_at: startedAt.toISOString(),
    cost_usd: price.costUsd,
    price_basis: price.basis,
    input_price_per_1k_tokens: price.inputPer1kTokens,
    output_price_per_1k_tokens: price.outputPer1kTokens,
    price_source: price.source,
    bedrock_model_id: equivalent?.modelId ?? null,
    bedrock_cost_usd: equivalent?.costUsd ?? null,
    bedrock_input_price_per_1k_tokens: equivalent?.inputPer1kTokens ?? null,
    bedrock_output_price_per_1k_tokens: equivalent?.outputPer1kTokens ?? null,
    bedrock_price_source: equivalent?.source ?? null,
  };
}

function fromRow(row: Selectable<UsageInvocationTable>): RecordedInvocation {
  const price: InvocationPrice = {
    costUsd: row.cost_usd,
    basis: row.price_basis as PriceBasis,
    inputPer1kTokens: row.input_price_per_1k_tokens,
    outputPer1kTokens: row.output_price_per_1k_tokens,
    source: row.price_source,
  };
  if (row.bedrock_model_id !== null) {
    price.bedrockEquivalent = {
      modelId: row.bedrock_model_id,
      costUsd: row.bedrock_cost_usd ?? 0,
      inputPer1kTokens: row.bedrock_input_price_per_1k_tokens ?? 0,
      outputPer1kTokens: row.bedrock_output_price_per_1k_tokens ?? 0,
      source: row.bedrock_price_source ?? "",
    };
  }
  return {
    requestId: row.request_id,
    requestedModelId: row.requested_model_id,
    modelId: row.model_id,
    servedBy: row.served_by,
    operation: row.operation,
    callerKeyId: row.caller_key_id,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    ...(row.time_to_first_token_ms === null ? {} : { timeToFirstTokenMs: row.time_to_first_token_ms }),
    latencyMs: row.latency_ms,
    status: row.status,
    startedAt: new Date(row.started_at),
    price,
  };
}
