// Several custom models on one base share its weights: one model load, an adapter per context. A reservation
// moved from one custom model to another of the same base (UpdateProvisionedModelThroughput desiredModelId)
// goes Updating → InService, answers with the new adapter's trained behaviour, and the base was loaded once in
// the reservation's inference process (and once here, for measurement and on-demand use).
import { join } from "node:path";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
  UpdateProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { localModelFilePath } from "../../src/catalog/local-model-registry.js";
import { customModelArn } from "../../src/customization/customization-arns.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";
import {
  modelsDirectory,
  registerCustomModel,
  trainAnswerAdapter,
  trainedAnswer,
  trainedQuestion,
} from "./provisioned-throughput-fixtures.js";

const otherAnswer = " Moby Dick was a white whale of the southern seas and the captain hunted";
let strata: TestStrata;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let firstArn: string;
let secondArn: string;
let basePath: string;

beforeAll(async () => {
  strata = await startTestStrata({
    builtinModels: false,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 2 },
  });
  const base = await registerTestModel(strata, "local.shared-base", { tensorType: "F32" });
  basePath = localModelFilePath(strata.dataDirectory, base);
  const context = { region: "us-east-1", accountId: "000000000000" };
  const arns: string[] = [];
  for (const [name, answer] of [
    ["first-custom", trainedAnswer],
    ["second-custom", otherAnswer],
  ] as const) {
    const adapterPath = join(modelsDirectory(strata), `${name}.gguf`);
    await trainAnswerAdapter(basePath, adapterPath, answer);
    const custom = await registerCustomModel(strata, {
      name,
      baseModelId: base.modelId,
      baseModelFile: basePath,
      adapterFile: adapterPath,
    });
    arns.push(customModelArn(context, base.modelId, custom.customModelId));
  }
  [firstArn = "", secondArn = ""] = arns;
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  bedrock = new BedrockClient(client);
  runtime = new BedrockRuntimeClient(client);
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  runtime?.destroy();
  await strata?.stop();
});

async function waitFor(arn: string, status: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    if (got.status === status) return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${arn} never reached ${status}`);
}

async function answer(modelId: string): Promise<string> {
  const response = await runtime.send(
    new ConverseCommand({
      modelId,
      messages: [{ role: "user", content: [{ text: trainedQuestion }] }],
      inferenceConfig: { maxTokens: 8, temperature: 0 },
    }),
  );
  return response.output?.message?.content?.[0]?.text ?? "";
}

it("moves a reservation between custom models of one base, loading the base weights once", async () => {
  const created = await bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      provisionedModelName: "shared",
      modelId: firstArn,
      modelUnits: 1,
    }),
  );
  const arn = created.provisionedModelArn ?? "";
  await waitFor(arn, "InService");
  const first = await answer(arn);
  expect(trainedAnswer.startsWith(first.slice(0, 12))).toBe(true);

  await bedrock.send(
    new UpdateProvisionedModelThroughputCommand({ provisionedModelId: arn, desiredModelId: secondArn }),
  );
  const updating = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
  expect(updating.desiredModelArn).toBe(secondArn);
  const moved = await waitFor(arn, "InService");
  expect(moved.modelArn).toBe(secondArn);
  const second = await answer(arn);
  expect(otherAnswer.startsWith(second.slice(0, 12))).toBe(true);

  // The base itself, on demand: a third context on the same weights.
  await answer("local.shared-base");
  const loads = strata.logLines.filter(
    (line) => Object.values(line).includes("threads measured") && String(line.modelId ?? "").length > 0,
  );
  expect(loads).toHaveLength(1);
  // The reservation runs in its own inference process (pinned to its core): there too the base was loaded
  // once, for both custom models' contexts; the two processes share the file's pages (llama.cpp maps it).
  const reservedLoads = strata.logLines.filter(
    (line) => line.msg === "model loaded" && line.inferenceProcess !== undefined,
  );
  expect(reservedLoads).toHaveLength(1);
  expect(
    strata.logLines.filter((line) => line.msg === "model loaded" && line.inferenceProcess === undefined),
  ).toHaveLength(1);
  const contexts = strata.logLines.filter((line) =>
    Object.values(line).includes("provisioned throughput ready"),
  );
  expect(contexts).toHaveLength(2);
});
