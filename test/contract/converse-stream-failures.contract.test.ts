// What happens when a stream goes wrong: a model failure after the first bytes reaches the SDK as a typed
// event-stream exception; a client that goes away frees its sequence at once; both are in the usage ledger.
import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/api-client.js";
import {
  EngineError,
  type GenerationRequest,
  type InferenceEngine,
} from "../../src/inference/engine/inference-engine.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

// The real engine, except that generation for the model "local.failing" breaks after three text events —
// the way a llama.cpp failure in the middle of a generation would surface.
function failingAfterThreeEvents(real: InferenceEngine): InferenceEngine {
  return {
    ...real,
    countTokens: (model, prompt) => real.countTokens(model, prompt),
    embed: (model, texts) => real.embed(model, texts),
    supportsTools: (model) => real.supportsTools(model),
    contextLength: (model) => real.contextLength(model),
    dispose: () => real.dispose(),
    async *generate(request: GenerationRequest) {
      let events = 0;
      for await (const event of real.generate(request)) {
        if (request.model.modelId === "local.failing" && event.type === "text" && ++events > 3) {
          throw new EngineError("internal", "llama_decode failed (simulated at the engine boundary)");
        }
        yield event;
      }
    },
  };
}

let strata: TestStrata;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  strata = await startTestStrata({ sequencesPerModel: 1 }, { engine: failingAfterThreeEvents });
  await registerTestModel(strata, "local.failing");
  // A long context lets a generation run for seconds, so the client can leave in the middle of it.
  await registerTestModel(strata, "local.test-tiny", { seed: 3, contextLength: 4096 });
  runtime = new BedrockRuntimeClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  runtime?.destroy();
  await strata?.stop();
});

const messages = [{ role: "user" as const, content: [{ text: "Tell me a long story about the Union." }] }];

it("delivers a mid-stream model failure as a modelStreamErrorException the SDK throws", async () => {
  const response = await runtime.send(
    new ConverseStreamCommand({
      modelId: "local.failing",
      messages,
      inferenceConfig: { maxTokens: 64, temperature: 0.9 },
    }),
  );
  const received: string[] = [];
  const error = await (async () => {
    for await (const event of response.stream ?? []) received.push(Object.keys(event)[0] ?? "");
  })().catch((caught: unknown) => caught);
  expect(received[0]).toBe("messageStart");
  expect(received.filter((kind) => kind === "contentBlockDelta")).toHaveLength(3);
  expect(error).toMatchObject({ name: "ModelStreamErrorException" });
  expect(String((error as Error).message)).toContain("llama_decode failed");
});

it("frees the sequence when the client goes away, so the next request is served at once", async () => {
  // Greedy decoding of a random model repeats one token and never reaches end-of-text: it would run to 4000.
  const abort = new AbortController();
  const response = await runtime.send(
    new ConverseStreamCommand({
      modelId: "local.test-tiny",
      messages,
      inferenceConfig: { maxTokens: 4000, temperature: 0 },
    }),
    { abortSignal: abort.signal },
  );
  let deltas = 0;
  await (async () => {
    for await (const event of response.stream ?? []) {
      if (event.contentBlockDelta && ++deltas === 2) abort.abort();
    }
  })().catch(() => undefined);
  // With one sequence per model, this waits for the abandoned generation unless it was stopped.
  const started = performance.now();
  const next = await runtime.send(
    new ConverseStreamCommand({
      modelId: "local.test-tiny",
      messages,
      inferenceConfig: { maxTokens: 4, temperature: 0 },
    }),
  );
  for await (const _event of next.stream ?? []) {
    // drain
  }
  expect(performance.now() - started).toBeLessThan(2_000);

  const admin = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
  let statuses: string[] = [];
  for (let attempt = 0; attempt < 20 && !statuses.includes("ClientClosedRequest"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { invocations } = await admin.call<{ invocations: { modelId: string; status: string }[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
    });
    statuses = invocations.map((invocation) => `${invocation.status}`);
  }
  expect(statuses).toContain("ClientClosedRequest");
  expect(statuses).toContain("ModelStreamErrorException");
  expect(statuses.filter((status) => status === "success").length).toBeGreaterThanOrEqual(1);
});
