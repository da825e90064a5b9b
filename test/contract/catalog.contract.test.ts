// ListFoundationModels / GetFoundationModel through the unmodified @aws-sdk/client-bedrock.
import {
  BedrockClient,
  GetFoundationModelCommand,
  ListFoundationModelsCommand,
  ListGuardrailsCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let bedrock: BedrockClient;

beforeAll(async () => {
  strata = await startTestStrata();
  await strata.localModels.register({
    modelId: "local.qwen2-5-0-5b-instruct-q8",
    modelName: "Qwen2.5 0.5B Instruct",
    providerName: "Local",
    source: "imported",
    architecture: "qwen2",
    parameterCount: 494_032_768,
    contextLength: 32_768,
    quantization: "Q8_0",
    trainerSupported: false,
    chatTemplate: "{{ messages }}",
    filePath: "models/local.qwen2-5-0-5b-instruct-q8.gguf",
    sourceUri: "s3://strata/uploads/qwen.gguf",
    fileSizeBytes: 531_000_000,
  });
  await strata.localModels.register({
    modelId: "strata.catalog-test-chat-v1",
    modelName: "Strata tiny chat v1",
    providerName: "Strata",
    source: "builtin",
    architecture: "llama",
    parameterCount: 4_200_000,
    contextLength: 512,
    quantization: "Q8_0",
    trainerSupported: true,
    filePath: "models/strata.catalog-test-chat-v1.gguf",
    sourceUri: "built in",
    fileSizeBytes: 4_700_000,
  });
  bedrock = new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  bedrock?.destroy();
  await strata?.stop();
});

describe("ListFoundationModels", () => {
  it("lists the Bedrock models and the registered local models", async () => {
    const { modelSummaries = [] } = await bedrock.send(new ListFoundationModelsCommand({}));
    const ids = modelSummaries.map((model) => model.modelId);
    expect(ids).toContain("anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(ids).toContain("amazon.nova-micro-v1:0");
    expect(ids).toContain("local.qwen2-5-0-5b-instruct-q8");
    expect(ids).toContain("strata.catalog-test-chat-v1");
    const haiku = modelSummaries.find(
      (model) => model.modelId === "anthropic.claude-3-5-haiku-20241022-v1:0",
    );
    expect(haiku?.modelArn).toBe(
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
    );
    expect(haiku?.providerName).toBe("Anthropic");
    expect(haiku?.modelLifecycle?.status).toBeDefined();
  });

  it("filters by provider, case-insensitively as Bedrock does", async () => {
    const { modelSummaries = [] } = await bedrock.send(
      new ListFoundationModelsCommand({ byProvider: "anthropic" }),
    );
    expect(modelSummaries.length).toBeGreaterThanOrEqual(4);
    expect(new Set(modelSummaries.map((model) => model.providerName))).toEqual(new Set(["Anthropic"]));
    const local = await bedrock.send(new ListFoundationModelsCommand({ byProvider: "Local" }));
    expect(local.modelSummaries?.map((model) => model.modelId)).toEqual(["local.qwen2-5-0-5b-instruct-q8"]);
  });

  it("filters by customization type", async () => {
    const { modelSummaries = [] } = await bedrock.send(
      new ListFoundationModelsCommand({ byCustomizationType: "CONTINUED_PRE_TRAINING" }),
    );
    const ids = modelSummaries.map((model) => model.modelId);
    expect(ids).toContain("amazon.titan-text-express-v1:0:8k");
    expect(ids).toContain("strata.catalog-test-chat-v1");
    expect(ids).not.toContain("local.qwen2-5-0-5b-instruct-q8"); // the trainer cannot customize it
    for (const model of modelSummaries)
      expect(model.customizationsSupported).toContain("CONTINUED_PRE_TRAINING");
  });

  it("filters by output modality", async () => {
    const images = await bedrock.send(new ListFoundationModelsCommand({ byOutputModality: "IMAGE" }));
    const ids = images.modelSummaries?.map((model) => model.modelId) ?? [];
    expect(ids).toContain("amazon.nova-canvas-v1:0");
    expect(ids).toContain("stability.sd3-5-large-v1:0");
    expect(ids).not.toContain("amazon.nova-micro-v1:0");
    const embeddings = await bedrock.send(new ListFoundationModelsCommand({ byOutputModality: "EMBEDDING" }));
    expect(embeddings.modelSummaries?.map((model) => model.modelId)).toContain(
      "amazon.titan-embed-text-v2:0",
    );
  });

  it("filters by inference type", async () => {
    const { modelSummaries = [] } = await bedrock.send(
      new ListFoundationModelsCommand({ byInferenceType: "PROVISIONED" }),
    );
    const ids = modelSummaries.map((model) => model.modelId);
    expect(ids).toContain("amazon.nova-micro-v1:0:128k");
    expect(ids).toContain("strata.catalog-test-chat-v1");
    for (const model of modelSummaries) expect(model.inferenceTypesSupported).toContain("PROVISIONED");
  });

  it("refuses an invalid filter with a ValidationException naming the field", async () => {
    const error = await bedrock
      .send(new ListFoundationModelsCommand({ byOutputModality: "SOUND" as never }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect(String((error as Error).message)).toContain("byOutputModality");
    expect(String((error as Error).message)).toContain("[TEXT, IMAGE, EMBEDDING]");
    // Smithy patterns are not anchored, so only a value with no allowed run of characters fails this one.
    const provider = await bedrock
      .send(new ListFoundationModelsCommand({ byProvider: "$$$" }))
      .catch((caught: unknown) => caught);
    expect(provider).toMatchObject({ name: "ValidationException" });
    expect(String((provider as Error).message)).toContain(
      "Value '$$$' at 'byProvider' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}",
    );
  });
});

describe("GetFoundationModel", () => {
  it("returns a Bedrock model by id with a colon-bearing, percent-encoded identifier", async () => {
    const { modelDetails } = await bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: "anthropic.claude-3-haiku-20240307-v1:0:200k" }),
    );
    expect(modelDetails?.modelId).toBe("anthropic.claude-3-haiku-20240307-v1:0:200k");
    expect(modelDetails?.inferenceTypesSupported).toEqual(["PROVISIONED"]);
  });

  it("returns a Bedrock model by foundation-model ARN", async () => {
    const { modelDetails } = await bedrock.send(
      new GetFoundationModelCommand({
        modelIdentifier: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
      }),
    );
    expect(modelDetails?.modelName).toBe("Nova Micro");
    expect(modelDetails?.inputModalities).toEqual(["TEXT"]);
  });

  it("returns a registered local model", async () => {
    const { modelDetails } = await bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: "local.qwen2-5-0-5b-instruct-q8" }),
    );
    expect(modelDetails).toMatchObject({
      modelId: "local.qwen2-5-0-5b-instruct-q8",
      providerName: "Local",
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: [],
      modelLifecycle: { status: "ACTIVE" },
    });
  });

  it("answers an unknown model with ResourceNotFoundException", async () => {
    const error = await bedrock
      .send(new GetFoundationModelCommand({ modelIdentifier: "acme.no-such-model-v1:0" }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
    expect((error as { $metadata: { requestId?: string } }).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("operations not implemented yet", () => {
  it("answer with a well-formed error, not a hang", async () => {
    const error = await bedrock.send(new ListGuardrailsCommand({})).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "NotImplementedException", $metadata: { httpStatusCode: 501 } });
    expect(String((error as Error).message)).toContain("ListGuardrails");
  });
});
