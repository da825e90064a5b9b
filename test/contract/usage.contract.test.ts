// ListInvocations / GetUsageSummary over HTTP: the real protocol layer (routing, Bearer authentication,
// query decoding and validation, JSON encoding), a real ledger on a real SQLite database. The server here is
// assembled from the same parts as `strata serve`, with only the usage operations bound.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator } from "../../src/auth/authenticate-request.js";
import { KeyStore } from "../../src/auth/key-store.js";
import { loadBedrockModels } from "../../src/catalog/bedrock-catalog/bedrock-model-entry.js";
import { silentLogger } from "../../src/logging/logger.js";
import { createDispatcher } from "../../src/protocol/dispatcher.js";
import { strataService } from "../../src/protocol/generated/strata.js";
import type {
  GetUsageSummaryResponse,
  ListInvocationsResponse,
} from "../../src/protocol/generated/strata-types.js";
import { createHttpRequestHandler } from "../../src/server/http-request-handler.js";
import { listenOnePort, type OnePortServer } from "../../src/server/one-port-server.js";
import { type OpenedDatabase, openDatabase } from "../../src/storage/database/open-database.js";
import type { InvocationRecord } from "../../src/usage/invocation-record.js";
import { usageOperations } from "../../src/usage/operations/usage-operations.js";
import { pricesFromCatalog } from "../../src/usage/price-invocation.js";
import { UsageLedger } from "../../src/usage/usage-ledger.js";

const haiku = "anthropic.claude-3-haiku-20240307-v1:0";
const base = Date.parse("2026-11-29T23:50:00.000Z");

let directory: string;
let opened: OpenedDatabase;
let ledger: UsageLedger;
let server: OnePortServer;
let admin: { keyId: string; apiKey: string };
let user: { keyId: string; apiKey: string };

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "strata-usage-contract-"));
  opened = await openDatabase(join(directory, "strata.db"));
  const keyStore = await KeyStore.open(opened.database);
  admin = await keyStore.createApiKey({ isAdmin: true });
  user = await keyStore.createApiKey({});
  ledger = new UsageLedger({
    database: opened.database,
    prices: pricesFromCatalog(loadBedrockModels()),
    logger: silentLogger,
  });
  const dispatch = createDispatcher({
    services: [{ model: strataService, handlers: usageOperations(ledger) }],
    authenticate: createAuthenticator({ keyStore, authentication: true, signingName: "bedrock" }),
    onUnexpectedError: (error) => {
      throw error;
    },
  });
  server = await listenOnePort({
    host: "127.0.0.1",
    port: 0,
    listener: createHttpRequestHandler({
      handle: dispatch,
      maxRequestBodyBytes: 1_000_000,
      logger: silentLogger,
    }),
  });

  // 30 invocations a minute apart across midnight UTC (20 on the 29th, 10 on the 30th); every third one is
  // the non-admin user's; i = 0..9 ran locally standing in for Haiku, the rest passed through to Haiku.
  for (let i = 0; i < 30; i += 1) {
    const local = i < 10;
    const record: InvocationRecord = {
      requestId: `req-${i}`,
      requestedModelId: haiku,
      modelId: local ? "local.tiny" : haiku,
      servedBy: local ? "LOCAL_ENGINE" : "PASS_THROUGH",
      operation: "Converse",
      callerKeyId: i % 3 === 0 ? user.keyId : admin.keyId,
      inputTokens: 1000,
      outputTokens: 1000,
      ...(local ? { timeToFirstTokenMs: 5 + i } : {}),
      latencyMs: 10 * (i + 1),
      status: i === 29 ? "ThrottlingException" : "success",
      startedAt: new Date(base + i * 60_000 - 10 * 60_000),
    };
    ledger.record(record);
  }
});

afterAll(async () => {
  await server?.close();
  await ledger?.close();
  await opened?.close();
  rmSync(directory, { recursive: true, force: true });
});

async function get<Output>(
  path: string,
  query: Record<string, string>,
  key = admin,
): Promise<{ status: number; errorType: string | null; body: Output }> {
  const url = new URL(path, `http://127.0.0.1:${server.port}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${key.apiKey}` } });
  return {
    status: response.status,
    errorType: response.headers.get("x-amzn-errortype"),
    body: (await response.json()) as Output,
  };
}

describe("ListInvocations", () => {
  it("pages through every invocation, most recent first, with its price", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get<ListInvocationsResponse>("/strata/usage/invocations", {
        maxResults: "7",
        ...(nextToken ? { nextToken } : {}),
      });
      expect(status).toBe(200);
      seen.push(...body.invocations.map((invocation) => invocation.requestId));
      nextToken = body.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, k) => `req-${29 - k}`));

    const { body } = await get<ListInvocationsResponse>("/strata/usage/invocations", { maxResults: "30" });
    const passThrough = body.invocations.find((invocation) => invocation.requestId === "req-29");
    expect(passThrough).toMatchObject({
      modelId: haiku,
      servedBy: "PASS_THROUGH",
      status: "ThrottlingException",
      startTime: "2026-11-30T00:09:00.000Z",
      priceBasis: "bedrock-on-demand",
      inputPricePer1kTokens: 0.00025,
      outputPricePer1kTokens: 0.00125,
    });
    expect(passThrough?.costUsd).toBeCloseTo(0.0015, 12);
    expect(passThrough?.bedrockEquivalent).toBeUndefined();
    const aliased = body.invocations.find((invocation) => invocation.requestId === "req-4");
    expect(aliased).toMatchObject({
      requestedModelId: haiku,
      modelId: "local.tiny",
      servedBy: "LOCAL_ENGINE",
      timeToFirstTokenMs: 9,
      priceBasis: "local-default",
      priceSource: expect.stringMatching(/estimate/),
      bedrockEquivalent: { modelId: haiku, inputPricePer1kTokens: 0.00025, outputPricePer1kTokens: 0.00125 },
    });
    expect(aliased?.bedrockEquivalent?.costUsd).toBeCloseTo(0.0015, 12);
  });

  it("filters by model and time range (from inclusive, to exclusive)", async () => {
    const local = await get<ListInvocationsResponse>("/strata/usage/invocations", { modelId: "local.tiny" });
    expect(local.body.invocations).toHaveLength(10);
    const window = await get<ListInvocationsResponse>("/strata/usage/invocations", {
      from: "2026-11-30T00:00:00Z",
      to: "2026-11-30T00:05:00Z",
    });
    expect(window.body.invocations.map((invocation) => invocation.requestId)).toEqual([
      "req-24",
      "req-23",
      "req-22",
      "req-21",
      "req-20",
    ]);
  });

  it("shows a non-admin key only its own invocations", async () => {
    const { body } = await get<ListInvocationsResponse>("/strata/usage/invocations", {}, user);
    expect(body.invocations).toHaveLength(10);
    expect(new Set(body.invocations.map((invocation) => invocation.callerKeyId))).toEqual(
      new Set([user.keyId]),
    );
  });

  it("validates its query", async () => {
    const queries: Record<string, string>[] = [
      { maxResults: "0" },
      { maxResults: "1001" },
      { from: "yesterday" },
      { nextToken: "forged" },
      { from: "2026-11-30T00:00:00Z", to: "2026-11-29T00:00:00Z" },
    ];
    for (const query of queries) {
      const { status, errorType } = await get("/strata/usage/invocations", query);
      expect([query, status, errorType]).toEqual([query, 400, "ValidationException"]);
    }
  });
});

describe("GetUsageSummary", () => {
  it("summarizes by model (the default) and by model and UTC day", async () => {
    const byModel = await get<GetUsageSummaryResponse>("/strata/usage/summary", {});
    expect(byModel.status).toBe(200);
    expect(byModel.body.groupBy).toBe("model");
    expect(byModel.body.groups).toEqual([
      {
        modelId: haiku,
        invocations: 20,
        errors: 1,
        inputTokens: 20_000,
        outputTokens: 20_000,
        latencyMs: { p50: 200, p95: 290, p99: 300 },
        costUsd: expect.closeTo(20 * 0.0015, 10),
      },
      {
        modelId: "local.tiny",
        invocations: 10,
        errors: 0,
        inputTokens: 10_000,
        outputTokens: 10_000,
        latencyMs: { p50: 50, p95: 100, p99: 100 },
        timeToFirstTokenMsP50: 9,
        costUsd: expect.any(Number),
        bedrockEquivalentCostUsd: expect.closeTo(10 * 0.0015, 10),
      },
    ]);

    const byDay = await get<GetUsageSummaryResponse>("/strata/usage/summary", { groupBy: "model-day" });
    expect(byDay.body.groupBy).toBe("model-day");
    expect(byDay.body.groups.map((group) => [group.modelId, group.day, group.invocations])).toEqual([
      [haiku, "2026-11-29", 10],
      [haiku, "2026-11-30", 10],
      ["local.tiny", "2026-11-29", 10],
    ]);

    const windowed = await get<GetUsageSummaryResponse>("/strata/usage/summary", {
      from: "2026-11-30T00:00:00Z",
    });
    expect(windowed.body.groups.map((group) => [group.modelId, group.invocations])).toEqual([[haiku, 10]]);

    const mine = await get<GetUsageSummaryResponse>("/strata/usage/summary", {}, user);
    expect(mine.body.groups.reduce((sum, group) => sum + group.invocations, 0)).toBe(10);

    const bad = await get("/strata/usage/summary", { groupBy: "week" });
    expect([bad.status, bad.errorType]).toEqual([400, "ValidationException"]);
  });
});
