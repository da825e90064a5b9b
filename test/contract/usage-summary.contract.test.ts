// GetUsageReport and `strata usage` against a real server: traffic from the unmodified
// @aws-sdk/client-bedrock-runtime on a built-in model (llama.cpp), a provisioned throughput made with
// @aws-sdk/client-bedrock, a real SQLite ledger. Training jobs are written through the job stores the way a
// finished job leaves them (a real customization or pretraining run takes minutes, far over this file's budget).
import { join } from "node:path";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBedrockModels } from "../../src/catalog/bedrock-catalog/bedrock-model-entry.js";
import { defaultConfig } from "../../src/config/strata-config.js";
import { bedrockTrainingPrices } from "../../src/customization/estimate/bedrock-training-prices.js";
import { CustomizationJobStore } from "../../src/customization/jobs/customization-job-store.js";
import { newResourceId } from "../../src/model-import/resource-ids.js";
import { PretrainingJobStore } from "../../src/pretraining/jobs/pretraining-job-store.js";
import { recipeForRequest } from "../../src/pretraining/jobs/recipe-for-request.js";
import type {
  GetUsageReportResponse,
  InvocationSummary,
  ListInvocationsResponse,
} from "../../src/protocol/generated/strata-types.js";
import { defaultReservationPrices } from "../../src/provisioned-throughput/cost/reservation-prices.js";
import { type OpenedDatabase, openDatabase } from "../../src/storage/database/open-database.js";
import { pricesFromCatalog } from "../../src/usage/price-invocation.js";
import { runCli } from "../support/run-cli.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const chat = "strata.tiny-chat-v1";
const titan = "amazon.titan-text-express-v1";
const trainingPrice = 0.002;
const reservationPrice = 12;
const trainedTokens = 12_345;
const hello = (text: string) => [{ role: "user" as const, content: [{ text }] }];

let strata: TestStrata;
let second: OpenedDatabase;
let admin: string;
let user: { keyId: string; apiKey: string };
let reservationArn: string;
let pretrainingTokens: number;

beforeAll(async () => {
  strata = await startTestStrata({
    customization: { ...defaultConfig().customization, localTrainingPricePer1kTokens: trainingPrice },
    provisionedThroughput: {
      reservableCores: 1,
      unitsPerCore: 1,
      pricesPerUnitHourUsd: { None: reservationPrice },
    },
  });
  admin = (await strata.keyStore.createApiKey({ isAdmin: true })).apiKey;
  user = await strata.keyStore.createApiKey({});
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  const runtime = new BedrockRuntimeClient(client);
  const bedrock = new BedrockClient(client);
  try {
    for (const text of ["What is Strata?", "Tell me about the whale.", "Who shall assemble?"])
      await runtime.send(
        new ConverseCommand({ modelId: chat, messages: hello(text), inferenceConfig: { maxTokens: 16 } }),
      );
    const streamed = await runtime.send(
      new ConverseStreamCommand({
        modelId: chat,
        messages: hello("Hello"),
        inferenceConfig: { maxTokens: 16 },
      }),
    );
    for await (const _event of streamed.stream ?? []) {
      /* drained */
    }
    await expect(
      runtime.send(new ConverseCommand({ modelId: titan, messages: hello("Hi") })),
    ).rejects.toThrow();
    // The non-admin key's own invocation.
    const mine = await fetch(`${strata.apiUrl}/model/${chat}/converse`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: hello("Hi"), inferenceConfig: { maxTokens: 8 } }),
    });
    expect(mine.status).toBe(200);

    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "usage-pt",
        modelId: chat,
        modelUnits: 1,
      }),
    );
    reservationArn = created.provisionedModelArn ?? "";
    for (let attempt = 0; attempt < 600; attempt++) {
      const got = await bedrock.send(
        new GetProvisionedModelThroughputCommand({ provisionedModelId: reservationArn }),
      );
      if (got.status === "InService") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await runtime.send(
      new ConverseCommand({
        modelId: reservationArn,
        messages: hello("Hi"),
        inferenceConfig: { maxTokens: 8 },
      }),
    );
  } finally {
    runtime.destroy();
    bedrock.destroy();
  }

  // A completed fine-tuning job (its custom model carries the trained-token count) and a pretraining job.
  second = await openDatabase(join(strata.dataDirectory, "strata.db"));
  const jobId = newResourceId();
  await new CustomizationJobStore(second.database).insert({
    jobId,
    jobName: "usage-tune",
    customModelName: "usage-tuned",
    roleArn: "arn:aws:iam::000000000000:role/strata",
    baseModelId: chat,
    baseModelFile: "models/strata.tiny-chat-v1.gguf",
    customizationType: "FINE_TUNING",
    hyperParameters: { epochCount: "1" },
    trainingDataUri: "s3://strata/usage/train.jsonl",
    validationDataUris: [],
    outputDataUri: "s3://strata/usage/output/",
    requestFingerprint: "usage",
  });
  const lineage = {
    baseModelId: chat,
    trainingData: { s3Uri: "s3://strata/usage/train.jsonl", sha256: "0".repeat(64), bytes: 1, records: 1 },
    validationData: [],
    hyperParameters: { epochCount: "1" },
    steps: 10,
    trainedTokens,
    validationLosses: [],
    trainerVersion: "test",
  };
  await strata.customization.customModels.registerForCompletedJob({
    customModelId: newResourceId(),
    modelName: "usage-tuned",
    jobId,
    jobName: "usage-tune",
    baseModelId: chat,
    customizationType: "FINE_TUNING",
    trainingMethod: "lora",
    baseModelFile: "models/strata.tiny-chat-v1.gguf",
    artifactFile: "models/usage-tuned.gguf",
    artifactKind: "lora-adapter",
    fileSizeBytes: 1,
    hyperParameters: lineage.hyperParameters,
    trainingDataUri: lineage.trainingData.s3Uri,
    validationDataUris: [],
    outputDataUri: "s3://strata/usage/output/",
    validationLosses: [],
    lineage,
  });
  const pretraining = new PretrainingJobStore(second.database);
  const request = { jobName: "usage-pretrain", modelName: "usage-fresh", steps: 7, rowsPerStep: 2 };
  await pretraining.insert({
    jobId: "usagepretrain",
    jobName: request.jobName,
    modelId: "local.usage-fresh",
    request,
    progress: { phase: "done", step: 7, steps: 7, heldOutPerplexity: [], parameterCount: 4_851_968 },
  });
  await pretraining.setStatus("usagepretrain", "Completed");
  const recipe = recipeForRequest(request);
  pretrainingTokens = 7 * recipe.rowsPerStep * recipe.sequenceLength;
}, 60_000);

afterAll(async () => {
  await second?.close();
  await strata?.stop();
});

async function get<Output>(path: string, query: Record<string, string> = {}, key = admin) {
  const url = new URL(path, strata.apiUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    errorType: response.headers.get("x-amzn-errortype"),
    body: (await response.json()) as Output,
  };
}

/** Nearest rank, written out here rather than taken from src/usage/percentile.ts. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
}

const prices = pricesFromCatalog(loadBedrockModels());

describe("GetUsageReport", () => {
  it("reports each model's day from the ledger: calls, errors, tokens, p50/p90/p99, cost and Bedrock's price", async () => {
    const { body: listed } = await get<ListInvocationsResponse>("/strata/usage/invocations", {
      maxResults: "100",
    });
    const { status, body: report } = await get<GetUsageReportResponse>("/strata/usage/report");
    expect(status).toBe(200);

    const day = new Date().toISOString().slice(0, 10);
    const expectGroup = (modelId: string, billing: string, members: InvocationSummary[]) => {
      const row = report.models.find((entry) => entry.modelId === modelId && entry.billing === billing);
      const latencies = members.map((invocation) => invocation.latencyMs);
      expect(row).toMatchObject({
        day,
        invocations: members.length,
        errors: members.filter((invocation) => invocation.status !== "success").length,
        inputTokens: members.reduce((sum, invocation) => sum + invocation.inputTokens, 0),
        outputTokens: members.reduce((sum, invocation) => sum + invocation.outputTokens, 0),
        latencyMs: {
          p50: nearestRank(latencies, 50),
          p90: nearestRank(latencies, 90),
          p99: nearestRank(latencies, 99),
        },
      });
      expect(row?.costUsd).toBeCloseTo(
        members.reduce((sum, invocation) => sum + invocation.costUsd, 0),
        12,
      );
      return row;
    };

    const onDemand = listed.invocations.filter((invocation) => invocation.modelId === chat);
    expect(onDemand).toHaveLength(5);
    const chatRow = expectGroup(chat, "on-demand", onDemand);
    const llama = prices.bedrock["meta.llama3-2-1b-instruct-v1:0"];
    expect(chatRow?.bedrockEquivalent).toMatchObject({ bedrockModelId: "meta.llama3-2-1b-instruct-v1:0" });
    expect(chatRow?.bedrockEquivalent.costUsd).toBeCloseTo(
      ((chatRow?.inputTokens ?? 0) / 1000) * (llama?.inputPer1kTokens ?? Number.NaN) +
        ((chatRow?.outputTokens ?? 0) / 1000) * (llama?.outputPer1kTokens ?? Number.NaN),
      12,
    );
    expect(chatRow?.timeToFirstTokenMsP50).toBeGreaterThanOrEqual(0);

    const refused = expectGroup(
      titan,
      "on-demand",
      listed.invocations.filter((invocation) => invocation.modelId === titan),
    );
    expect(refused).toMatchObject({ errors: 1, bedrockEquivalent: { costUsd: 0 } });

    const reserved = expectGroup(
      reservationArn,
      "provisioned",
      listed.invocations.filter((invocation) => invocation.modelId === reservationArn),
    );
    expect(reserved?.bedrockEquivalent.costUsd).toBeUndefined();
    expect(report.totals.withoutBedrockEquivalent).toEqual([
      expect.stringContaining(
        `${reservationArn} on ${day} (provisioned): traffic on a provisioned throughput`,
      ),
      expect.stringContaining(
        "pretraining job usage-pretrain: none: Bedrock does not train models from random weights",
      ),
    ]);
  });

  it("prices training jobs, reservations and the totals, here and on Bedrock", async () => {
    const { body: report } = await get<GetUsageReportResponse>("/strata/usage/report");
    const tune = report.trainingJobs.find((job) => job.jobName === "usage-tune");
    expect(tune).toMatchObject({
      jobKind: "customization",
      status: "Completed",
      trainedTokens,
      parameterCount: 4_851_968,
    });
    expect(tune?.costUsd).toBeCloseTo((trainedTokens / 1000) * trainingPrice, 12);
    const llama2 = bedrockTrainingPrices.find((price) => price.modelId === "meta.llama2-13b-v1:0:4k");
    expect(tune?.bedrockEquivalent.costUsd).toBeCloseTo(
      (trainedTokens / 1000) * (llama2?.pricePer1kTokens ?? 0),
      12,
    );
    const pretrain = report.trainingJobs.find((job) => job.jobName === "usage-pretrain");
    expect(pretrain).toMatchObject({ jobKind: "pretraining", trainedTokens: pretrainingTokens });
    expect(pretrain?.costUsd).toBeCloseTo((pretrainingTokens / 1000) * trainingPrice, 12);
    expect(pretrain?.bedrockEquivalent.costUsd).toBeUndefined();

    expect(report.reservations).toHaveLength(1);
    const [reservation] = report.reservations;
    expect(reservation).toMatchObject({ provisionedModelArn: reservationArn, commitmentTerm: "None" });
    expect(reservation?.unitHours).toBeGreaterThan(0);
    expect(reservation?.costUsd).toBeCloseTo((reservation?.unitHours ?? 0) * reservationPrice, 12);
    expect(reservation?.bedrockEquivalent.costUsd).toBeCloseTo(
      (reservation?.unitHours ?? 0) * defaultReservationPrices.perUnitHourUsd.None,
      12,
    );

    const { totals } = report;
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(totals.invocations).toBe(sum(report.models.map((row) => row.invocations)));
    expect(totals.trainingCostUsd).toBeCloseTo(sum(report.trainingJobs.map((job) => job.costUsd)), 12);
    expect(totals.totalCostUsd).toBeCloseTo(
      totals.invocationCostUsd + totals.trainingCostUsd + totals.reservationCostUsd,
      12,
    );
    expect(totals.bedrockEquivalentCostUsd).toBeCloseTo(
      sum([
        ...report.models.map((row) => row.bedrockEquivalent.costUsd ?? 0),
        ...report.trainingJobs.map((job) => job.bedrockEquivalent.costUsd ?? 0),
        ...report.reservations.map((row) => row.bedrockEquivalent.costUsd ?? 0),
      ]),
      12,
    );
    expect(report.notes.join("\n")).toContain("meta.llama3-2-1b-instruct-v1:0");
  });

  it("keeps to one model, and a non-admin key to its own invocations", async () => {
    const { body: reserved } = await get<GetUsageReportResponse>("/strata/usage/report", {
      modelId: reservationArn,
    });
    expect(reserved.models.map((row) => row.modelId)).toEqual([reservationArn]);
    expect(reserved.reservations).toHaveLength(1);
    expect(reserved.trainingJobs).toEqual([]);

    const { body: mine } = await get<GetUsageReportResponse>("/strata/usage/report", {}, user.apiKey);
    expect(mine.models).toEqual([expect.objectContaining({ modelId: chat, invocations: 1 })]);
  });

  it("refuses an empty or malformed time range", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ from: "2026-11-29T00:00:00Z", to: "2026-11-28T00:00:00Z" }, /time range is empty/],
      [{ from: "2026-11-29T00:00:00Z", to: "2026-11-29T00:00:00Z" }, /time range is empty/],
      [{ from: "yesterday" }, /from/],
      [{ from: "1900-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, /longer than/],
    ];
    for (const [query, message] of cases) {
      const { status, errorType, body } = await get<{ message: string }>("/strata/usage/report", query);
      expect([status, errorType]).toEqual([400, "ValidationException"]);
      expect(body.message).toMatch(message);
    }
  });
});

describe("strata usage", () => {
  // Flag errors (--from 2026-13-01 …) and --to's inclusive day are unit-tested in src/cli/commands/usage.test.ts,
  // and --json prints the API's document as it is: each CLI process costs seconds, so one run here.
  it("prints the report of one model and day as tables", async () => {
    const day = new Date().toISOString().slice(0, 10);
    const common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
    const text = await runCli(["usage", ...common, "--from", day, "--to", day, "--model", chat]);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain(`Usage and cost from ${day}T00:00:00.000Z to `);
    const rows = text.stdout
      .split("\n")
      .filter((line) => new RegExp(`^${day}\\s+\\S+\\s+(on-demand|provisioned|pass-through)\\s`).test(line));
    // Only the model asked for (its reservation's ARN traffic is another model id), five calls, no error.
    expect(rows).toEqual([
      expect.stringMatching(new RegExp(`^${day}\\s+strata\\.tiny-chat-v1\\s+on-demand\\s+5\\s+0\\s`)),
    ]);
    expect(text.stdout).toMatch(/customization\s+usage-tune\s+Completed/);
    expect(text.stdout).toMatch(
      new RegExp(`^${day}\\s+${reservationArn.replace(/[.:/]/g, "\\$&")}\\s+None\\s`, "m"),
    );
    expect(text.stdout).toMatch(/^total\s+\$\S+\s+\$\S+$/m);
  });
});
