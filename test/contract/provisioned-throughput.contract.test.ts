// Provisioned throughput through the unmodified AWS SDKs: create / get / list / update / delete with Bedrock's
// shapes and errors, a custom model (a real LoRA adapter) served only through its reservation's ARN with its
// trained behaviour visible in Converse and ConverseStream, reservations bounded by this host's cores.
import { join } from "node:path";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelCommand,
  DeleteImportedModelCommand,
  DeleteProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
  ListProvisionedModelThroughputsCommand,
  UpdateProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

let strata: TestStrata;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let customArn: string;
let baseImportedModelArn: string;

const question = [{ role: "user" as const, content: [{ text: trainedQuestion }] }];

beforeAll(async () => {
  // Two cores as far as reservations are concerned, whatever this host has: one reservable core of 2 units.
  strata = await startTestStrata({
    builtinModels: false,
    sequencesPerModel: 2,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 2, queuePerUnit: 1 },
  });
  const base = await registerTestModel(strata, "local.pt-base", { tensorType: "F32" });
  baseImportedModelArn = `arn:aws:bedrock:us-east-1:000000000000:imported-model/${base.importedModelId}`;
  const basePath = localModelFilePath(strata.dataDirectory, base);
  const adapterPath = join(modelsDirectory(strata), "pt-adapter.gguf");
  await trainAnswerAdapter(basePath, adapterPath);
  const custom = await registerCustomModel(strata, {
    name: "answers-congress",
    baseModelId: base.modelId,
    baseModelFile: basePath,
    adapterFile: adapterPath,
  });
  customArn = customModelArn(
    { region: "us-east-1", accountId: "000000000000" },
    base.modelId,
    custom.customModelId,
  );
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

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

async function waitInService(arn: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    if (got.status !== "Creating" && got.status !== "Updating") return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${arn} never left Creating`);
}

async function converseText(modelId: string): Promise<string> {
  const response = await runtime.send(
    new ConverseCommand({ modelId, messages: question, inferenceConfig: { maxTokens: 8, temperature: 0 } }),
  );
  return response.output?.message?.content?.[0]?.text ?? "";
}

describe("custom models only through provisioned throughput", () => {
  let reservationArn: string;

  it("refuses the custom model on demand, saying why and what to do", async () => {
    const error = await runtime
      .send(new ConverseCommand({ modelId: customArn, messages: question }))
      .catch((e) => e);
    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("doesn't support on-demand throughput");
    expect(error.message).toContain("CreateProvisionedModelThroughput");
    const byName = await runtime
      .send(new ConverseCommand({ modelId: "answers-congress", messages: question }))
      .catch((e) => e);
    expect(byName.name).toBe("ValidationException");
  });

  it("creates a reservation that goes Creating → InService with Bedrock's fields", async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "congress-pt",
        modelId: customArn,
        modelUnits: 1,
      }),
    );
    reservationArn = created.provisionedModelArn ?? "";
    expect(reservationArn).toMatch(
      /^arn:aws:bedrock:us-east-1:000000000000:provisioned-model\/[a-z0-9]{12}$/,
    );
    const got = await waitInService(reservationArn);
    expect(got).toMatchObject({
      provisionedModelName: "congress-pt",
      provisionedModelArn: reservationArn,
      modelArn: customArn,
      desiredModelArn: customArn,
      foundationModelArn: "arn:aws:bedrock:us-east-1::foundation-model/local.pt-base",
      modelUnits: 1,
      desiredModelUnits: 1,
      status: "InService",
    });
    expect(got.creationTime).toBeInstanceOf(Date);
    expect(got.commitmentDuration).toBeUndefined();
  });

  it("serves the adapter's trained answer through the reservation ARN (Converse and ConverseStream)", async () => {
    const reserved = await converseText(reservationArn);
    expect(trainedAnswer.startsWith(reserved.slice(0, 12))).toBe(true);
    expect(reserved.length).toBeGreaterThan(10);
    // The same base without the adapter (on demand) answers something else.
    expect(await converseText("local.pt-base")).not.toBe(reserved);
    const streamed = await runtime.send(
      new ConverseStreamCommand({
        modelId: reservationArn,
        messages: question,
        inferenceConfig: { maxTokens: 8, temperature: 0 },
      }),
    );
    const events = await collect(streamed.stream);
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? "").join("");
    expect(text).toBe(reserved);
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBeGreaterThan(0);
  });

  it("serves InvokeModel and InvokeModelWithResponseStream under the reservation ARN", async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ prompt: "The Congress", max_gen_len: 4, temperature: 0 }),
    );
    const invoked = await runtime.send(new InvokeModelCommand({ modelId: reservationArn, body }));
    const parsed = JSON.parse(new TextDecoder().decode(invoked.body)) as { generation_token_count: number };
    expect(parsed.generation_token_count).toBeGreaterThan(0);
    const streamed = await runtime.send(
      new InvokeModelWithResponseStreamCommand({ modelId: reservationArn, body }),
    );
    let chunks = 0;
    for await (const event of streamed.body ?? []) if (event.chunk?.bytes) chunks++;
    expect(chunks).toBeGreaterThan(0);
  });

  it("lists, filters and renames; the name works like the ARN", async () => {
    const listed = await bedrock.send(
      new ListProvisionedModelThroughputsCommand({ nameContains: "congress" }),
    );
    expect(listed.provisionedModelSummaries?.map((summary) => summary.provisionedModelArn)).toEqual([
      reservationArn,
    ]);
    const none = await bedrock.send(new ListProvisionedModelThroughputsCommand({ statusEquals: "Failed" }));
    expect(none.provisionedModelSummaries).toEqual([]);
    await bedrock.send(
      new UpdateProvisionedModelThroughputCommand({
        provisionedModelId: reservationArn,
        desiredProvisionedModelName: "congress-pt-2",
      }),
    );
    const byName = await bedrock.send(
      new GetProvisionedModelThroughputCommand({ provisionedModelId: "congress-pt-2" }),
    );
    expect(byName.provisionedModelArn).toBe(reservationArn);
    const base = await bedrock
      .send(
        new UpdateProvisionedModelThroughputCommand({
          provisionedModelId: reservationArn,
          desiredModelId: "local.other",
        }),
      )
      .catch((e) => e);
    expect(base.name).toBe("ResourceNotFoundException");
  });

  it("refuses more than the host can guarantee, stating the free capacity", async () => {
    const error = await bedrock
      .send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: "too-big",
          modelId: "local.pt-base",
          modelUnits: 3,
        }),
      )
      .catch((e) => e);
    expect(error.name).toBe("ServiceQuotaExceededException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("can guarantee 0 more model units");
  });

  it("keeps the custom model and its base while a reservation uses them", async () => {
    const error = await bedrock
      .send(new DeleteCustomModelCommand({ modelIdentifier: customArn }))
      .catch((e) => e);
    expect(error.name).toBe("ConflictException");
    expect(error.message).toContain("congress-pt-2");
    const baseError = await bedrock
      .send(new DeleteImportedModelCommand({ modelIdentifier: baseImportedModelArn }))
      .catch((e) => e);
    expect(baseError.name).toBe("ConflictException");
    expect(baseError.message).toContain("congress-pt-2");
  });

  it("deletes the reservation; its ARN then answers that it was deleted", async () => {
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: reservationArn }));
    const gone = await bedrock
      .send(new GetProvisionedModelThroughputCommand({ provisionedModelId: reservationArn }))
      .catch((e) => e);
    expect(gone.name).toBe("ResourceNotFoundException");
    const invoked = await runtime
      .send(new ConverseCommand({ modelId: reservationArn, messages: question }))
      .catch((e) => e);
    expect(invoked.name).toBe("ResourceNotFoundException");
    expect(invoked.message).toContain("was deleted");
  });
});

describe("commitments, validation and idempotency", () => {
  it("keeps a committed reservation until its term ends", async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "base-committed",
        modelId: "local.pt-base",
        modelUnits: 2,
        commitmentDuration: "OneMonth",
        clientRequestToken: "token-1",
      }),
    );
    const again = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "base-committed",
        modelId: "local.pt-base",
        modelUnits: 2,
        commitmentDuration: "OneMonth",
        clientRequestToken: "token-1",
      }),
    );
    expect(again.provisionedModelArn).toBe(created.provisionedModelArn);
    const got = await waitInService(created.provisionedModelArn ?? "");
    expect(got.commitmentDuration).toBe("OneMonth");
    const days =
      ((got.commitmentExpirationTime?.getTime() ?? 0) - (got.creationTime?.getTime() ?? 0)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);
    const error = await bedrock
      .send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: created.provisionedModelArn }))
      .catch((e) => e);
    expect(error.name).toBe("ConflictException");
    expect(error.message).toContain("--force");
    await strata.provisionedThroughput.service.delete(created.provisionedModelArn ?? "", { force: true });
  });

  it("grants concurrent creates one at a time: of two requests for the whole host, one is refused", async () => {
    // Straight to the service, in one tick, so that both requests are in flight before either is stored (through
    // HTTP the second usually arrives after the first was stored, and the test would pass without the turn-taking).
    const { service } = strata.provisionedThroughput;
    const create = (name: string) =>
      service.create({ provisionedModelName: name, modelId: "local.pt-base", modelUnits: 2 });
    const outcomes = await Promise.allSettled([create("race-a"), create("race-b")]);
    const granted = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [outcome.reason as Error] : [],
    );
    expect(granted).toHaveLength(1);
    expect(refused.map((error) => error.name)).toEqual(["ServiceQuotaExceededException"]);
    const name = granted[0]?.provisionedModelName ?? "";
    await waitInService(name);
    await service.delete(name, { force: false });
  });

  it("marks a reservation Failed when its capacity cannot be made, and says so at run time", async () => {
    const base = await strata.localModels.find("local.pt-base");
    const broken = await registerCustomModel(strata, {
      name: "broken-adapter",
      baseModelId: "local.pt-base",
      baseModelFile: localModelFilePath(strata.dataDirectory, base ?? { filePath: "" }),
      adapterFile: join(modelsDirectory(strata), "missing-adapter.gguf"),
    });
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "broken-pt",
        modelId: "broken-adapter",
        modelUnits: 1,
      }),
    );
    const arn = created.provisionedModelArn ?? "";
    const failed = await waitInService(arn);
    expect(failed.status).toBe("Failed");
    expect(failed.failureMessage).toContain("could not make its capacity ready");
    const invoked = await runtime
      .send(new ConverseCommand({ modelId: arn, messages: question }))
      .catch((e) => e);
    expect(invoked.name).toBe("ValidationException");
    expect(invoked.message).toContain("broken-pt failed");
    // A failed reservation holds no cores; deleting it is allowed.
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    expect(broken.modelName).toBe("broken-adapter");
  });

  it("answers bad input with the AWS error that names it", async () => {
    const unknownModel = await bedrock
      .send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: "x1",
          modelId: "local.nope",
          modelUnits: 1,
        }),
      )
      .catch((e) => e);
    expect(unknownModel.name).toBe("ResourceNotFoundException");
    const bedrockModel = await bedrock
      .send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: "x2",
          modelId: "amazon.nova-micro-v1:0",
          modelUnits: 1,
        }),
      )
      .catch((e) => e);
    expect(bedrockModel.name).toBe("ValidationException");
    expect(bedrockModel.message).toContain("Amazon Bedrock");
    const badName = await bedrock
      .send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: "bad name!",
          modelId: "local.pt-base",
          modelUnits: 1,
        }),
      )
      .catch((e) => e);
    expect(badName.name).toBe("ValidationException");
    expect(badName.message).toContain("provisionedModelName");
    const zeroUnits = await bedrock
      .send(
        new CreateProvisionedModelThroughputCommand({
          provisionedModelName: "x3",
          modelId: "local.pt-base",
          modelUnits: 0,
        }),
      )
      .catch((e) => e);
    expect(zeroUnits.name).toBe("ValidationException");
    const unknownArn = await bedrock
      .send(
        new GetProvisionedModelThroughputCommand({
          provisionedModelId: "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/aaaaaaaaaaaa",
        }),
      )
      .catch((e) => e);
    expect(unknownArn.name).toBe("ResourceNotFoundException");
  });
});
