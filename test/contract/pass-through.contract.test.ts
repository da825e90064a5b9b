// Pass-through to real Bedrock, tested against a second Strata acting as the upstream (it serves the Bedrock
// id through an alias). The downstream Strata has no alias: it must forward.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/api-client.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";
let upstream: TestStrata;
let downstream: TestStrata;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  upstream = await startTestStrata({ aliases: { [haiku]: "local.upstream-tiny" } });
  await registerTestModel(upstream, "local.upstream-tiny");
  downstream = await startTestStrata({
    passThrough: {
      region: "us-east-1",
      endpoint: upstream.apiUrl,
      accessKeyId: upstream.credentials.accessKeyId,
      secretAccessKey: upstream.credentials.secretAccessKey,
    },
  });
  runtime = new BedrockRuntimeClient({
    endpoint: downstream.apiUrl,
    region: "us-east-1",
    credentials: downstream.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  runtime?.destroy();
  await downstream?.stop();
  await upstream?.stop();
});

const messages = [{ role: "user" as const, content: [{ text: "Hello there" }] }];

it("lists Bedrock models as served by pass-through", async () => {
  const client = new ApiClient(downstream.apiUrl, downstream.credentials, "us-east-1");
  const { model } = await client.call<{ model: { servedBy: string } }>({
    method: "GET",
    path: `/strata/catalog/${encodeURIComponent(haiku)}`,
  });
  expect(model.servedBy).toBe("PASS_THROUGH");
});

it("forwards Converse and returns the upstream's answer", async () => {
  const request = { modelId: haiku, messages, inferenceConfig: { maxTokens: 8, temperature: 0 } };
  const forwarded = await runtime.send(new ConverseCommand(request));
  const direct = new BedrockRuntimeClient({
    endpoint: upstream.apiUrl,
    region: "us-east-1",
    credentials: upstream.credentials,
    maxAttempts: 1,
  });
  const expected = await direct.send(new ConverseCommand(request));
  direct.destroy();
  expect(forwarded.output?.message?.content?.[0]?.text).toBe(expected.output?.message?.content?.[0]?.text);
  expect(forwarded.usage).toEqual(expected.usage);
  expect(upstream.logLines.some((line) => line.operation === "Converse" && line.status === 200)).toBe(true);
});

it("forwards ConverseStream event by event", async () => {
  const response = await runtime.send(
    new ConverseStreamCommand({
      modelId: haiku,
      messages,
      inferenceConfig: { maxTokens: 6, temperature: 0 },
    }),
  );
  const kinds: string[] = [];
  for await (const event of response.stream ?? []) {
    kinds.push(
      Object.keys(event).find((key) => (event as unknown as Record<string, unknown>)[key] !== undefined) ??
        "",
    );
  }
  expect(kinds[0]).toBe("messageStart");
  expect(kinds.at(-1)).toBe("metadata");
});

it("passes the upstream's errors through with their type", async () => {
  const error = await runtime
    .send(new ConverseCommand({ modelId: haiku, messages, inferenceConfig: { maxTokens: 999_999 } }))
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
  expect(String((error as Error).message)).toContain("maxTokens 999999 is out of range");
});

it("forwards InvokeModel, its stream and CountTokens with the Anthropic body", async () => {
  const body = new TextEncoder().encode(
    JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 6,
      messages: [{ role: "user", content: "Hello" }],
    }),
  );
  const invoked = await runtime.send(
    new InvokeModelCommand({ modelId: haiku, body, contentType: "application/json" }),
  );
  const answer = JSON.parse(new TextDecoder().decode(invoked.body)) as {
    type: string;
    usage: { output_tokens: number };
  };
  expect(answer.type).toBe("message");
  expect(answer.usage.output_tokens).toBeGreaterThan(0);

  const streamed = await runtime.send(
    new InvokeModelWithResponseStreamCommand({ modelId: haiku, body, contentType: "application/json" }),
  );
  const types: string[] = [];
  for await (const event of streamed.body ?? []) {
    if (event.chunk?.bytes)
      types.push((JSON.parse(new TextDecoder().decode(event.chunk.bytes)) as { type: string }).type);
  }
  expect(types[0]).toBe("message_start");
  expect(types.at(-1)).toBe("message_stop");

  const counted = await runtime.send(
    new CountTokensCommand({
      modelId: haiku,
      input: { converse: { messages: [{ role: "user", content: [{ text: "Hello" }] }] } },
    }),
  );
  expect(counted.inputTokens).toBeGreaterThan(0);
});
