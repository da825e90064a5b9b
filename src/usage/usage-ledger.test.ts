import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { type OpenedDatabase, openDatabase } from "../storage/database/open-database.js";
import type { InvocationRecord } from "./invocation-record.js";
import { percentile } from "./percentile.js";
import { type PriceList, pricesFromCatalog } from "./price-invocation.js";
import { UsageLedger } from "./usage-ledger.js";

const haiku = "anthropic.claude-3-haiku-20240307-v1:0";
const prices: PriceList = {
  ...pricesFromCatalog([]),
  bedrock: { [haiku]: { inputPer1kTokens: 0.00025, outputPer1kTokens: 0.00125, source: "test" } },
  local: { default: { inputPer1kTokens: 0.0001, outputPer1kTokens: 0.001, source: "test local" } },
};
const base = Date.parse("2026-11-29T12:00:00.000Z");
const minute = 60_000;

/** 1000 invocations, one a minute from 12:00 UTC (the day changes at i = 720): even i pass through to
 * Haiku, odd i run locally (one in five of them fails and reports a time to first token). */
function generated(i: number): InvocationRecord {
  const local = i % 2 === 1;
  return {
    requestId: `req-${i}`,
    requestedModelId: local && i % 4 === 1 ? haiku : local ? "local.tiny" : haiku,
    modelId: local ? "local.tiny" : haiku,
    servedBy: local ? "LOCAL_ENGINE" : "PASS_THROUGH",
    operation: local ? "ConverseStream" : "Converse",
    callerKeyId: i % 3 === 0 ? "KEY-A" : "KEY-B",
    inputTokens: 100 + i,
    outputTokens: 10 + (i % 7),
    ...(local ? { timeToFirstTokenMs: i % 50 } : {}),
    latencyMs: 1000 - i,
    status: i % 10 === 9 ? "ModelErrorException" : "success",
    startedAt: new Date(base + i * minute),
  };
}

let directory: string;
let opened: OpenedDatabase;
let logLines: Record<string, unknown>[];
const logger = () => createLogger({ level: "debug", write: (line) => logLines.push(JSON.parse(line)) });

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), "strata-usage-"));
  opened = await openDatabase(join(directory, "strata.db"));
  logLines = [];
});

afterEach(async () => {
  await opened.close().catch(() => undefined);
  rmSync(directory, { recursive: true, force: true });
});

describe("UsageLedger", () => {
  it("queues 1000 records without writing on the caller's turn, then stores them all by close()", async () => {
    const ledger = new UsageLedger({ database: opened.database, prices, logger: logger() });
    const invocations = Array.from({ length: 1000 }, (_, i) => generated(i));
    const started = performance.now();
    for (const invocation of invocations) ledger.record(invocation);
    const elapsed = performance.now() - started;
    // Nothing is written during the calls: another connection sees no rows yet.
    const peek = new SqliteDatabase(join(directory, "strata.db"), { readonly: true });
    expect(peek.prepare("SELECT count(*) AS n FROM usage_invocations").get()).toEqual({ n: 0 });
    peek.close();
    expect(elapsed).toBeLessThan(500);

    await ledger.close();
    const all = await ledger.query();
    expect(all).toHaveLength(1000);
    expect(all[0]?.requestId).toBe("req-999"); // most recent first
    expect(all.at(-1)?.requestId).toBe("req-0");
    expect(logLines.filter((line) => line.level === "error")).toEqual([]);

    const { price, ...record } = all.find((row) => row.requestId === "req-5") ?? expect.fail("req-5");
    expect(record).toEqual(invocations[5]);
    expect(price).toEqual({
      basis: "local-default",
      costUsd: expect.closeTo((105 / 1000) * 0.0001 + (15 / 1000) * 0.001, 12),
      inputPer1kTokens: 0.0001,
      outputPer1kTokens: 0.001,
      source: "test local",
      bedrockEquivalent: {
        modelId: haiku,
        costUsd: expect.closeTo((105 / 1000) * 0.00025 + (15 / 1000) * 0.00125, 12),
        inputPer1kTokens: 0.00025,
        outputPer1kTokens: 0.00125,
        source: "test",
      },
    });
    const passThrough = all.find((row) => row.requestId === "req-4");
    expect(passThrough?.timeToFirstTokenMs).toBeUndefined();
    expect(passThrough?.price.basis).toBe("bedrock-on-demand");
    expect(passThrough?.price.bedrockEquivalent).toBeUndefined();
  });

  it("filters by time range, model (served or stood in for) and caller", async () => {
    const ledger = new UsageLedger({ database: opened.database, prices, logger: logger() });
    for (let i = 0; i < 1000; i += 1) ledger.record(generated(i));

    // from inclusive, to exclusive; query() writes what is queued first.
    const window = await ledger.query({
      from: new Date(base + 100 * minute),
      to: new Date(base + 200 * minute),
    });
    expect(window.map((row) => row.requestId)).toEqual(
      Array.from({ length: 100 }, (_, k) => `req-${199 - k}`),
    );
    expect(await ledger.query({ modelId: "local.tiny" })).toHaveLength(500);
    // Haiku: its 500 pass-through invocations and the 250 a local model served under its id.
    expect(await ledger.query({ modelId: haiku })).toHaveLength(750);
    expect(
      await ledger.query({ modelId: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}` }),
    ).toHaveLength(750);
    const keyA = await ledger.query({ callerKeyId: "KEY-A", to: new Date(base + 30 * minute) });
    expect(keyA.map((row) => row.requestId)).toEqual(
      [27, 24, 21, 18, 15, 12, 9, 6, 3, 0].map((i) => `req-${i}`),
    );
    expect(await ledger.query({ modelId: "nobody" })).toEqual([]);
    await ledger.close();
  });

  it("summarizes by model and by model and UTC day", async () => {
    const ledger = new UsageLedger({ database: opened.database, prices, logger: logger() });
    const invocations = Array.from({ length: 1000 }, (_, i) => generated(i));
    for (const invocation of invocations) ledger.record(invocation);
    await ledger.close();

    const expected = (rows: InvocationRecord[], ledgerPrices: { input: number; output: number }) => {
      const latencies = rows.map((row) => row.latencyMs).sort((a, b) => a - b);
      const ttft = rows.flatMap((row) =>
        row.timeToFirstTokenMs === undefined ? [] : [row.timeToFirstTokenMs],
      );
      return {
        invocations: rows.length,
        errors: rows.filter((row) => row.status !== "success").length,
        inputTokens: rows.reduce((sum, row) => sum + row.inputTokens, 0),
        outputTokens: rows.reduce((sum, row) => sum + row.outputTokens, 0),
        latencyMs: {
          p50: latencies[Math.ceil(rows.length * 0.5) - 1],
          p95: latencies[Math.ceil((rows.length * 95) / 100) - 1],
          p99: latencies[Math.ceil((rows.length * 99) / 100) - 1],
        },
        ttftP50: percentile(
          ttft.sort((a, b) => a - b),
          50,
        ),
        cost: rows.reduce(
          (sum, row) =>
            sum +
            (row.inputTokens / 1000) * ledgerPrices.input +
            (row.outputTokens / 1000) * ledgerPrices.output,
          0,
        ),
      };
    };
    const local = invocations.filter((row) => row.servedBy === "LOCAL_ENGINE");
    const remote = invocations.filter((row) => row.servedBy === "PASS_THROUGH");
    const localExpected = expected(local, { input: 0.0001, output: 0.001 });
    const remoteExpected = expected(remote, { input: 0.00025, output: 0.00125 });
    const aliased = local.filter((row) => row.requestedModelId === haiku);
    const aliasedBedrockCost = aliased.reduce(
      (sum, row) => sum + (row.inputTokens / 1000) * 0.00025 + (row.outputTokens / 1000) * 0.00125,
      0,
    );

    const byModel = await ledger.summarize({ groupBy: "model" });
    expect(byModel.map((group) => group.modelId)).toEqual([haiku, "local.tiny"]);
    const [haikuGroup, localGroup] = byModel;
    expect(haikuGroup).toEqual({
      modelId: haiku,
      invocations: 500,
      errors: 0,
      inputTokens: remoteExpected.inputTokens,
      outputTokens: remoteExpected.outputTokens,
      latencyMs: remoteExpected.latencyMs,
      costUsd: expect.closeTo(remoteExpected.cost, 10),
    });
    expect(localGroup).toEqual({
      modelId: "local.tiny",
      invocations: 500,
      errors: 100,
      inputTokens: localExpected.inputTokens,
      outputTokens: localExpected.outputTokens,
      latencyMs: localExpected.latencyMs,
      timeToFirstTokenMsP50: localExpected.ttftP50,
      costUsd: expect.closeTo(localExpected.cost, 10),
      bedrockEquivalentCostUsd: expect.closeTo(aliasedBedrockCost, 10),
    });
    // Spot values, independent of the helper above: latencies 1000 − i over even i are 2, 4, …, 1000.
    expect(haikuGroup?.latencyMs).toEqual({ p50: 500, p95: 950, p99: 990 });

    const byDay = await ledger.summarize({ groupBy: "model-day" });
    expect(byDay.map((group) => [group.modelId, group.day, group.invocations])).toEqual([
      [haiku, "2026-11-29", 360],
      [haiku, "2026-11-30", 140],
      ["local.tiny", "2026-11-29", 360],
      ["local.tiny", "2026-11-30", 140],
    ]);
    const secondDayLocal = local.filter((row) => row.startedAt.toISOString().startsWith("2026-11-30"));
    expect(byDay[3]).toMatchObject({
      errors: expected(secondDayLocal, { input: 0, output: 0 }).errors,
      latencyMs: expected(secondDayLocal, { input: 0, output: 0 }).latencyMs,
    });

    const windowed = await ledger.summarize({
      groupBy: "model",
      from: new Date(base + 720 * minute),
      to: new Date(base + 730 * minute),
    });
    expect(windowed.map((group) => [group.modelId, group.invocations])).toEqual([
      [haiku, 5],
      ["local.tiny", 5],
    ]);
    expect(await ledger.summarize({ groupBy: "model", from: new Date(base + 2000 * minute) })).toEqual([]);
    const keyA = await ledger.summarize({ groupBy: "model", callerKeyId: "KEY-A" });
    expect(keyA.reduce((sum, group) => sum + group.invocations, 0)).toBe(334);
  });

  it("logs a failed write instead of throwing it, and keeps going", async () => {
    const ledger = new UsageLedger({ database: opened.database, prices, logger: logger() });
    await opened.close();
    expect(() => ledger.record(generated(1))).not.toThrow();
    expect(() => ledger.record(generated(2))).not.toThrow();
    await expect(ledger.flush()).resolves.toBeUndefined();
    const failures = logLines.filter(
      (line) => line.msg === "usage ledger write failed: invocations not recorded",
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: "error", rows: 2, firstRequestId: "req-1" });
    await expect(ledger.query()).rejects.toThrow(); // reads do report a closed database
    await expect(ledger.close()).resolves.toBeUndefined();
    expect(() => ledger.record(generated(3))).not.toThrow();
    expect(logLines.at(-1)).toMatchObject({
      level: "warn",
      msg: "usage ledger is closed: invocation not recorded",
    });
  });

  it("refuses a malformed record alone: the rest of its batch is written", async () => {
    const ledger = new UsageLedger({ database: opened.database, prices, logger: logger() });
    ledger.record(generated(1));
    ledger.record({ ...generated(2), inputTokens: Number.NaN });
    ledger.record({ ...generated(3), startedAt: new Date("not a date") });
    ledger.record(undefined as unknown as InvocationRecord);
    ledger.record(generated(4));
    await ledger.close();
    expect((await ledger.query()).map((row) => row.requestId)).toEqual(["req-4", "req-1"]);
    expect(
      logLines.filter((line) => line.msg === "usage ledger could not record an invocation"),
    ).toHaveLength(3);
  });

  it("writes a partial batch on its own after the flush interval", async () => {
    const ledger = new UsageLedger({
      database: opened.database,
      prices,
      logger: logger(),
      flushIntervalMs: 10,
    });
    ledger.record(generated(1));
    const peek = new SqliteDatabase(join(directory, "strata.db"), { readonly: true });
    const count = () =>
      (peek.prepare("SELECT count(*) AS n FROM usage_invocations").get() as { n: number }).n;
    expect(count()).toBe(0);
    await expect.poll(count, { timeout: 2000, interval: 5 }).toBe(1);
    peek.close();
    await ledger.close();
  });
});
