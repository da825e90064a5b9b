// CompareModels against a real server: the built-in models run by llama.cpp, a provisioned throughput created
// with the unmodified @aws-sdk/client-bedrock, the AWS event stream decoded with Smithy's codec, the usage
// ledger read back through ListInvocations. Pass-through to real Bedrock needs AWS credentials and is not run.
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBedrockModels } from "../../src/catalog/bedrock-catalog/bedrock-model-entry.js";
import { readEventStream } from "../../src/cli/commands/compare-event-stream.js";
import type {
  CompareModelResultEvent,
  CompareModelsStream,
  ListInvocationsResponse,
} from "../../src/protocol/generated/strata-types.js";
import { defaultLocalPriceTable, pricesFromCatalog } from "../../src/usage/price-invocation.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const chat = "strata.tiny-chat-v1";
const base = "strata.tiny-base-v1";
const titan = "amazon.titan-text-express-v1";
const onePixelPng =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

let strata: TestStrata;
let apiKey: string;
let bedrock: BedrockClient;

beforeAll(async () => {
  strata = await startTestStrata({
    sequencesPerModel: 2,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 1 },
  });
  apiKey = (await strata.keyStore.createApiKey({ isAdmin: true })).apiKey;
  bedrock = new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  await strata?.stop();
});

function post(body: unknown): Promise<Response> {
  return fetch(`${strata.apiUrl}/strata/compare`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function compare(body: unknown): Promise<CompareModelsStream[]> {
  const response = await post(body);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
  const events: CompareModelsStream[] = [];
  for await (const event of readEventStream(response.body as AsyncIterable<Uint8Array>))
    events.push(event as CompareModelsStream);
  return events;
}

function resultOf(events: CompareModelsStream[], promptIndex: number, modelIndex: number) {
  const found = events.find(
    (event) => event.modelResult?.promptIndex === promptIndex && event.modelResult.modelIndex === modelIndex,
  )?.modelResult;
  if (!found) throw new Error(`no result for prompt ${promptIndex}, model ${modelIndex}`);
  return found;
}

const prices = pricesFromCatalog(loadBedrockModels());
const smallestLlama = "meta.llama3-2-1b-instruct-v1:0";

describe("CompareModels", () => {
  it("streams the same prompts on two local models at once, with time to first token, latency, tokens and cost", async () => {
    const prompts = [{ text: "What is Strata?" }, { text: "Tell me about the whale." }];
    const body = { modelIds: [chat, base], prompts, inferenceConfig: { maxTokens: 48, temperature: 0 } };
    await compare(body); // loads both models: the timing below is of warm models
    const events = await compare(body);

    const promptStarts = events.flatMap((event, index) => (event.promptStart ? [index] : []));
    expect(promptStarts).toHaveLength(2);
    for (const [promptIndex, prompt] of prompts.entries()) {
      expect(events[promptStarts[promptIndex] ?? -1]?.promptStart?.text).toBe(prompt.text);
      for (const modelIndex of [0, 1]) {
        const mine = events.flatMap((event, index) => {
          const located = event.modelStart ?? event.textDelta ?? event.modelResult;
          return located?.promptIndex === promptIndex && located.modelIndex === modelIndex
            ? [{ event, index }]
            : [];
        });
        // modelStart first, result last, every event inside its prompt's part of the stream.
        expect(mine[0]?.event.modelStart?.warnings).toEqual([]);
        expect(mine.at(-1)?.event.modelResult).toBeDefined();
        for (const { index } of mine) {
          expect(index).toBeGreaterThan(promptStarts[promptIndex] ?? Number.POSITIVE_INFINITY);
          if (promptIndex === 0) expect(index).toBeLessThan(promptStarts[1] ?? -1);
        }
        const result = resultOf(events, promptIndex, modelIndex);
        const text = mine.map(({ event }) => event.textDelta?.text ?? "").join("");
        expect(result).toMatchObject({
          modelId: [chat, base][modelIndex],
          servedModelId: [chat, base][modelIndex],
          servedBy: "LOCAL_ENGINE",
          status: "success",
          output: text,
          priceBasis: "local-default",
        });
        checkMetrics(result);
      }
    }
    // Both models generate at the same time: each one's first text arrives before the other's result.
    const firstText = (modelIndex: number) =>
      events.findIndex(
        (event) => event.textDelta?.promptIndex === 0 && event.textDelta.modelIndex === modelIndex,
      );
    const resultIndex = (modelIndex: number) =>
      events.findIndex(
        (event) => event.modelResult?.promptIndex === 0 && event.modelResult.modelIndex === modelIndex,
      );
    expect(firstText(1)).toBeLessThan(resultIndex(0));
    expect(firstText(0)).toBeLessThan(resultIndex(1));

    // Each run is an invocation of the usage ledger, recorded as CompareModels with the same tokens.
    const listed = await fetch(`${strata.apiUrl}/strata/usage/invocations?maxResults=100`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const { invocations } = (await listed.json()) as ListInvocationsResponse;
    const compared = invocations.filter((invocation) => invocation.operation === "CompareModels");
    expect(compared).toHaveLength(8);
    const last = resultOf(events, 1, 1);
    expect(compared.map((invocation) => [invocation.inputTokens, invocation.outputTokens])).toContainEqual([
      last.inputTokens,
      last.outputTokens,
    ]);
  });

  it("warns about what a model cannot do; a refused model does not stop the others", async () => {
    const events = await compare({
      modelIds: [chat, titan, "no.such-model-v1"],
      prompts: [
        { text: "Answer briefly: what is a whale?", system: "You are terse." },
        { text: "Describe this picture.", images: [{ format: "png", bytes: onePixelPng }] },
      ],
      inferenceConfig: { maxTokens: 16 },
      tools: [
        { name: "lookup", description: "Looks a word up.", inputSchema: { type: "object", properties: {} } },
      ],
    });
    const start = (promptIndex: number, modelIndex: number) =>
      events.find(
        (event) =>
          event.modelStart?.promptIndex === promptIndex && event.modelStart.modelIndex === modelIndex,
      )?.modelStart;

    // The built-in chat template declares tools: no warning, and the run succeeds.
    expect(start(0, 0)?.warnings).toEqual([]);
    expect(resultOf(events, 0, 0).status).toBe("success");
    expect(start(1, 0)?.warnings).toEqual([`${chat} does not accept IMAGE input (input modalities: TEXT)`]);
    expect(resultOf(events, 1, 0)).toMatchObject({
      status: "error",
      errorType: "ValidationException",
      errorMessage: expect.stringContaining(`The model ${chat} does not accept IMAGE input`),
      costUsd: 0,
    });

    expect(start(0, 1)?.warnings).toEqual(
      expect.arrayContaining([
        `${titan} does not support a system prompt (Bedrock model capabilities)`,
        `${titan} does not support tool use (Bedrock model capabilities)`,
        expect.stringContaining(`${titan} is in the catalog only`),
      ]),
    );
    expect(start(1, 1)?.warnings).toEqual(
      expect.arrayContaining([`${titan} does not accept IMAGE input (input modalities: TEXT)`]),
    );
    expect(resultOf(events, 0, 1)).toMatchObject({ status: "error", errorType: "AccessDeniedException" });

    expect(start(0, 2)?.warnings).toEqual([]);
    expect(resultOf(events, 0, 2)).toMatchObject({
      status: "error",
      errorType: "ValidationException",
      errorMessage: "The provided model identifier is invalid.",
    });
  });

  it("runs a model through its provisioned throughput", async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "compare-pt",
        modelId: chat,
        modelUnits: 1,
      }),
    );
    const arn = created.provisionedModelArn ?? "";
    for (let attempt = 0; attempt < 600; attempt++) {
      const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
      if (got.status === "InService") break;
      if (got.status === "Failed") throw new Error(got.failureMessage);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const events = await compare({
      modelIds: [chat, arn],
      prompts: [{ text: "What is Strata?" }],
      inferenceConfig: { maxTokens: 24, temperature: 0 },
    });
    const reserved = resultOf(events, 0, 1);
    expect(reserved).toMatchObject({
      modelId: arn,
      servedModelId: arn,
      servedBy: "LOCAL_ENGINE",
      status: "success",
    });
    checkMetrics(reserved, { reserved: true });
    // Same weights, same greedy decoding: the reservation answers as the on-demand model does.
    expect(reserved.output).toBe(resultOf(events, 0, 0).output);
  });

  it("refuses a malformed comparison before streaming, naming the member", async () => {
    const prompt = [{ text: "Hello" }];
    const cases: [unknown, RegExp][] = [
      [{ modelIds: [], prompts: prompt }, /modelIds/],
      [{ modelIds: Array(9).fill(chat), prompts: prompt }, /modelIds/],
      [{ modelIds: [chat], prompts: [] }, /prompts/],
      [{ modelIds: [chat], prompts: [{ text: "" }] }, /text/],
      [{ modelIds: [chat], prompts: prompt, inferenceConfig: { maxTokens: 0 } }, /maxTokens/],
      [
        { modelIds: [chat], prompts: [{ text: "x", images: [{ format: "bmp", bytes: onePixelPng }] }] },
        /format/,
      ],
      [
        { modelIds: [chat], prompts: prompt, tools: [{ name: "lookup", inputSchema: "none" }] },
        /tools\.1\.inputSchema/,
      ],
    ];
    for (const [body, member] of cases) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toBe("ValidationException");
      expect(((await response.json()) as { message: string }).message).toMatch(member);
    }
  });
});

function checkMetrics(result: CompareModelResultEvent, options: { reserved?: boolean } = {}): void {
  expect(result.inputTokens).toBeGreaterThan(0);
  expect(result.outputTokens).toBeGreaterThan(0);
  expect(result.outputTokens).toBeLessThanOrEqual(48);
  expect(result.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  expect(result.timeToFirstTokenMs).toBeLessThanOrEqual(result.latencyMs);
  expect(result.tokensPerSecond).toBeCloseTo(result.outputTokens / (result.latencyMs / 1000), 6);
  const local = defaultLocalPriceTable.default;
  expect(result.costUsd).toBeCloseTo(
    (result.inputTokens / 1000) * local.inputPer1kTokens +
      (result.outputTokens / 1000) * local.outputPer1kTokens,
    12,
  );
  if (options.reserved) {
    expect(result.bedrockEquivalent?.costUsd).toBeUndefined();
    expect(result.bedrockEquivalent?.basis).toContain("model-unit hours");
    return;
  }
  const llama = prices.bedrock[smallestLlama];
  expect(result.bedrockEquivalent?.bedrockModelId).toBe(smallestLlama);
  expect(result.bedrockEquivalent?.costUsd).toBeCloseTo(
    (result.inputTokens / 1000) * (llama?.inputPer1kTokens ?? Number.NaN) +
      (result.outputTokens / 1000) * (llama?.outputPer1kTokens ?? Number.NaN),
    12,
  );
}
