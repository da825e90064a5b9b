// On-demand traffic is throttled, never oversubscribed: a model's on-demand sequences run, a bounded queue
// waits, and the rest get 429 ThrottlingException — for ConverseStream before the stream's 200 goes out.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let runtime: BedrockRuntimeClient;
const messages = [{ role: "user" as const, content: [{ text: "Tell me about the Union." }] }];

beforeAll(async () => {
  strata = await startTestStrata({
    builtinModels: false,
    sequencesPerModel: 1,
    provisionedThroughput: { onDemandQueueLength: 1 },
  });
  await registerTestModel(strata, "local.busy");
  runtime = new BedrockRuntimeClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
  // Loads the model (and its on-demand gate) before the burst.
  await runtime.send(
    new ConverseCommand({ modelId: "local.busy", messages, inferenceConfig: { maxTokens: 1 } }),
  );
}, 60_000);

afterAll(async () => {
  runtime?.destroy();
  await strata?.stop();
});

it("runs one, queues one, and throttles the rest with 429 before any stream starts", async () => {
  const running = runtime.send(
    new ConverseStreamCommand({
      modelId: "local.busy",
      messages,
      inferenceConfig: { maxTokens: 200, temperature: 0 },
    }),
  );
  const first = await running;
  const drained = (async () => {
    for await (const _event of first.stream ?? []) {
      // read to the end
    }
  })();
  const waiting = runtime.send(
    new ConverseCommand({ modelId: "local.busy", messages, inferenceConfig: { maxTokens: 4 } }),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  const refused = await runtime
    .send(new ConverseStreamCommand({ modelId: "local.busy", messages, inferenceConfig: { maxTokens: 4 } }))
    .catch((error) => error);
  expect(refused.name).toBe("ThrottlingException");
  expect(refused.$metadata.httpStatusCode).toBe(429);
  expect(refused.message).toContain("on-demand capacity of local.busy");
  await drained;
  expect((await waiting).stopReason).toBeDefined();
});
