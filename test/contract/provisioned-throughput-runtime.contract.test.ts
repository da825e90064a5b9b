// Provisioned throughput at run time: model units measured per model (a larger model's unit is smaller), the
// reservation ARN in the OpenAI-compatible API, a reservation's bounded queue (429 ThrottlingException, the
// server stays up, every request in the usage ledger), a resize that drops nothing in flight, per-key on-demand
// quotas, the cost ledger, and an administrator's forced delete of a committed reservation.
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  DeleteProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type { GetProvisionedModelThroughputCapacityResponse } from "../../src/protocol/generated/strata-types.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";
import { registerLargerTestModel } from "./provisioned-throughput-fixtures.js";

let strata: TestStrata;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let api: ApiClient;

const hello = [{ role: "user" as const, content: [{ text: "Tell me about the Union." }] }];

beforeAll(async () => {
  strata = await startTestStrata({
    builtinModels: false,
    sequencesPerModel: 2,
    provisionedThroughput: {
      reservableCores: 1,
      unitsPerCore: 2,
      queuePerUnit: 1,
      onDemandQuota: { requestsPerMinute: 3 },
      pricesPerUnitHourUsd: { None: 10 },
    },
  });
  await registerTestModel(strata, "local.pt-small");
  await registerLargerTestModel(strata, "local.pt-large");
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  bedrock = new BedrockClient(client);
  runtime = new BedrockRuntimeClient(client);
  api = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  runtime?.destroy();
  await strata?.stop();
});

async function reserve(name: string, modelId: string, units = 1): Promise<string> {
  const created = await bedrock.send(
    new CreateProvisionedModelThroughputCommand({ provisionedModelName: name, modelId, modelUnits: units }),
  );
  const arn = created.provisionedModelArn ?? "";
  await waitInService(arn);
  return arn;
}

async function waitInService(arn: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    if (got.status === "InService") return got;
    if (got.status === "Failed") throw new Error(got.failureMessage);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${arn} never reached InService`);
}

function capacityOf(arn: string) {
  return api.call<GetProvisionedModelThroughputCapacityResponse>({
    method: "GET",
    path: `/strata/provisioned-model-throughput/${pathLabel(arn)}/capacity`,
  });
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

describe("model units", () => {
  it("are measured per model: the larger model's unit guarantees fewer tokens per minute", async () => {
    const small = await reserve("small-pt", "local.pt-small");
    const smallCapacity = await capacityOf(small);
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: small }));
    const large = await reserve("large-pt", "local.pt-large");
    const largeCapacity = await capacityOf(large);
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: large }));

    console.log("model units (tokens/min):", {
      small: smallCapacity.tokensPerMinutePerModelUnit,
      large: largeCapacity.tokensPerMinutePerModelUnit,
      smallMeasurement: smallCapacity.measurement,
      largeMeasurement: largeCapacity.measurement,
    });
    expect(smallCapacity).toMatchObject({
      modelUnits: 1,
      cores: 1,
      sequences: 1,
      threads: 1,
      queueLength: 1,
    });
    expect(smallCapacity.tokensPerMinutePerModelUnit).toBeGreaterThan(0);
    expect(largeCapacity.tokensPerMinutePerModelUnit).toBeGreaterThan(0);
    expect(smallCapacity.tokensPerMinutePerModelUnit ?? 0).toBeGreaterThan(
      2 * (largeCapacity.tokensPerMinutePerModelUnit ?? 0),
    );
    // The catalog (Strata's extension) shows the same measured unit.
    const catalogEntry = await api.call<{ model: { modelUnit?: { tokensPerMinute: number } } }>({
      method: "GET",
      path: "/strata/catalog/local.pt-large",
    });
    expect(catalogEntry.model.modelUnit?.tokensPerMinute).toBe(largeCapacity.tokensPerMinutePerModelUnit);
  });
});

describe("a reservation at run time", () => {
  let arn: string;

  beforeAll(async () => {
    arn = await reserve("run-pt", "local.pt-small");
  }, 60_000);

  it("serves the OpenAI-compatible API under its ARN", async () => {
    const apiKey = strata.credentials.apiKey ?? "";
    const client = new OpenAI({ baseURL: `${strata.apiUrl}/v1`, apiKey, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: arn,
      messages: [{ role: "user", content: "Hello" }],
      max_tokens: 4,
      temperature: 0,
    });
    expect(completion.choices[0]?.message.role).toBe("assistant");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("queues beyond its sequences, then throttles with 429; the server stays up; every request is in the ledger", async () => {
    const started = new Date();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        runtime.send(
          new ConverseCommand({
            modelId: arn,
            messages: hello,
            inferenceConfig: { maxTokens: 120, temperature: 0 },
          }),
        ),
      ),
    );
    const throttled = results.filter(
      (result) => result.status === "rejected" && (result.reason as Error).name === "ThrottlingException",
    );
    const succeeded = results.filter((result) => result.status === "fulfilled");
    // One runs, one waits (1 unit: 1 sequence, a queue of 1), the rest are refused (more may be served when
    // the first finishes before the last arrives on a slow host).
    expect(succeeded.length).toBeGreaterThanOrEqual(2);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(succeeded.length + throttled.length).toBe(6);
    const reason = (throttled[0] as PromiseRejectedResult).reason as Error & {
      $metadata: { httpStatusCode: number };
    };
    expect(reason.$metadata.httpStatusCode).toBe(429);
    expect(reason.message).toContain("provisioned throughput run-pt");
    const after = await runtime.send(
      new ConverseCommand({ modelId: arn, messages: hello, inferenceConfig: { maxTokens: 2 } }),
    );
    expect(after.stopReason).toBeDefined();
    const ledger = await api.call<{ invocations: { requestedModelId: string; status: string }[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
      query: { from: started.toISOString() },
    });
    const mine = ledger.invocations.filter((invocation) => invocation.requestedModelId === arn);
    expect(mine.length).toBe(7);
    expect(mine.filter((invocation) => invocation.status === "ThrottlingException").length).toBe(
      throttled.length,
    );
  });

  it("resizes without dropping the request in flight", async () => {
    const streaming = runtime.send(
      new ConverseStreamCommand({
        modelId: arn,
        messages: hello,
        inferenceConfig: { maxTokens: 150, temperature: 0 },
      }),
    );
    const response = await streaming;
    const events = collect(response.stream);
    await api.call({
      method: "PATCH",
      path: `/strata/provisioned-model-throughput/${pathLabel(arn)}/units`,
      body: { desiredModelUnits: 2 },
    });
    const during = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    expect(["Updating", "InService"]).toContain(during.status);
    expect(during.desiredModelUnits).toBe(2);
    const finished = await events;
    expect(finished.at(-1)?.metadata?.usage?.outputTokens).toBeGreaterThan(0);
    const got = await waitInService(arn);
    expect(got).toMatchObject({ modelUnits: 2, desiredModelUnits: 2 });
    expect(await capacityOf(arn)).toMatchObject({ sequences: 2, cores: 1, queueLength: 2 });
    const tooMany = await api
      .call({
        method: "PATCH",
        path: `/strata/provisioned-model-throughput/${pathLabel(arn)}/units`,
        body: { desiredModelUnits: 3 },
      })
      .catch((error: Error) => error);
    expect(String(tooMany)).toContain("ServiceQuotaExceededException");
  });

  it("counts on-demand requests per key against the quota; reserved traffic is not counted", async () => {
    const onDemand = () =>
      runtime.send(
        new ConverseCommand({
          modelId: "local.pt-small",
          messages: hello,
          inferenceConfig: { maxTokens: 2 },
        }),
      );
    for (let index = 0; index < 3; index++) await onDemand();
    const refused = await onDemand().catch((error) => error);
    expect(refused.name).toBe("ThrottlingException");
    expect(refused.$metadata.httpStatusCode).toBe(429);
    expect(refused.message).toContain("3 requests per minute");
    // The reservation still answers (more than 3 requests went to it in this file).
    const reserved = await runtime.send(
      new ConverseCommand({ modelId: arn, messages: hello, inferenceConfig: { maxTokens: 2 } }),
    );
    expect(reserved.stopReason).toBeDefined();
  });

  it("counts the OpenAI-compatible API's on-demand requests against the same per-key quota", async () => {
    // The API key is a key of its own, with its own window; its only earlier request went to the reservation.
    const client = new OpenAI({
      baseURL: `${strata.apiUrl}/v1`,
      apiKey: strata.credentials.apiKey ?? "",
      maxRetries: 0,
    });
    const chat = (model: string) =>
      client.chat.completions.create({
        model,
        messages: [{ role: "user", content: "Hello" }],
        max_tokens: 2,
      });
    for (let index = 0; index < 3; index++) await chat("local.pt-small");
    const refused = await chat("local.pt-small").catch((error) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.status).toBe(429);
    expect(refused.message).toContain("3 requests per minute");
    expect((await chat(arn)).choices[0]?.message.role).toBe("assistant");
    const ledger = await api.call<{ invocations: { operation: string; status: string }[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
    });
    expect(
      ledger.invocations.filter(
        (invocation) =>
          invocation.operation === "openai.chat.completions" && invocation.status === "ThrottlingException",
      ),
    ).toHaveLength(1);
  });

  it("puts the reservation's hourly cost next to on-demand token cost, per model and day", async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const summary = await api.call<{
      rows: { day: string; modelId: string; reservationCostUsd: number; onDemandInvocations: number }[];
      prices: { perUnitHourUsd: Record<string, number>; source: string };
    }>({ method: "GET", path: "/strata/cost/summary" });
    expect(summary.prices.perUnitHourUsd.None).toBe(10);
    expect(summary.prices.perUnitHourUsd.SixMonths).toBe(4.11);
    const today = new Date().toISOString().slice(0, 10);
    const reserved = summary.rows.find(
      (row) =>
        row.day === today && row.modelId === "arn:aws:bedrock:us-east-1::foundation-model/local.pt-small",
    );
    expect(reserved?.reservationCostUsd).toBeGreaterThan(0);
    const onDemand = summary.rows.find((row) => row.day === today && row.modelId === "local.pt-small");
    expect(onDemand?.onDemandInvocations).toBeGreaterThanOrEqual(3);
  });

  it("lets an administrator force-delete a committed reservation", async () => {
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "committed-pt",
        modelId: "local.pt-small",
        modelUnits: 1,
        commitmentDuration: "SixMonths",
      }),
    );
    const committed = created.provisionedModelArn ?? "";
    await waitInService(committed);
    const refused = await bedrock
      .send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: committed }))
      .catch((error) => error);
    expect(refused.name).toBe("ConflictException");
    await api.call({
      method: "DELETE",
      path: `/strata/provisioned-model-throughput/${pathLabel(committed)}`,
    });
    const gone = await bedrock
      .send(new GetProvisionedModelThroughputCommand({ provisionedModelId: committed }))
      .catch((error) => error);
    expect(gone.name).toBe("ResourceNotFoundException");
  });
});
