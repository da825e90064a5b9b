import { describe, expect, it } from "vitest";
import { ValidationException } from "./aws-errors.js";
import { decodeRequest } from "./decode-request.js";
import { bedrockService } from "./generated/bedrock.js";
import { bedrockRuntimeService } from "./generated/bedrock-runtime.js";
import type { OperationModel, ServiceModel } from "./service-model.js";

function decode(
  model: ServiceModel,
  operationName: string,
  parts: {
    labels?: Record<string, string>;
    query?: string;
    headers?: Record<string, string>;
    body?: unknown;
  },
) {
  const operation = model.operations[operationName] as OperationModel;
  const body =
    parts.body === undefined
      ? new Uint8Array()
      : new TextEncoder().encode(typeof parts.body === "string" ? parts.body : JSON.stringify(parts.body));
  return decodeRequest(model, operation, {
    labels: parts.labels ?? {},
    query: new URLSearchParams(parts.query ?? ""),
    headers: parts.headers ?? {},
    body,
  });
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationException);
    return (error as Error).message;
  }
  throw new Error("expected a ValidationException");
}

describe("decodeRequest", () => {
  it("reads query members with their types and enums", () => {
    expect(
      decode(bedrockService, "ListFoundationModels", { query: "byProvider=Meta&byOutputModality=TEXT" }),
    ).toEqual({
      byProvider: "Meta",
      byOutputModality: "TEXT",
    });
    expect(
      messageOf(() => decode(bedrockService, "ListFoundationModels", { query: "byInferenceType=SOMETIMES" })),
    ).toBe(
      "1 validation error detected: Value 'SOMETIMES' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
    );
  });

  it("converts integers and timestamps from the query and checks ranges", () => {
    const input = decode(bedrockService, "ListModelCustomizationJobs", {
      query: "maxResults=5&creationTimeAfter=2026-01-02T03%3A04%3A05Z",
    });
    expect(input).toEqual({ maxResults: 5, creationTimeAfter: new Date("2026-01-02T03:04:05Z") });
    expect(
      messageOf(() => decode(bedrockService, "ListModelCustomizationJobs", { query: "maxResults=0" })),
    ).toContain("Member must have value greater than or equal to 1");
  });

  it("decodes a JSON body, reporting every violation with its path", () => {
    const message = messageOf(() =>
      decode(bedrockRuntimeService, "Converse", {
        labels: { modelId: "m" },
        body: {
          messages: [{ role: "robot", content: [{ text: "hi" }] }],
          inferenceConfig: { maxTokens: 0, temperature: 3 },
        },
      }),
    );
    expect(message).toMatch(/^3 validation errors detected: /);
    expect(message).toContain(
      "at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set",
    );
    expect(message).toContain(
      "at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(message).toContain("at 'inferenceConfig.temperature'");
  });

  it("requires exactly one member of a union", () => {
    const message = messageOf(() =>
      decode(bedrockRuntimeService, "Converse", {
        labels: { modelId: "m" },
        body: {
          messages: [
            { role: "user", content: [{ text: "a", image: { format: "png", source: { bytes: "AAAA" } } }] },
          ],
        },
      }),
    );
    expect(message).toContain("messages.1.member.content.1.member");
    expect(message).toContain("exactly one member set");
  });

  it("refuses a body that is not JSON with a ValidationException, not a crash", () => {
    expect(
      messageOf(() =>
        decode(bedrockRuntimeService, "Converse", { labels: { modelId: "m" }, body: "{not json" }),
      ),
    ).toContain("not valid JSON");
  });

  it("takes the raw payload and headers of InvokeModel as they are", () => {
    const input = decode(bedrockRuntimeService, "InvokeModel", {
      labels: { modelId: "meta.llama3-1-8b-instruct-v1:0" },
      headers: { "content-type": "application/octet-stream", "x-amzn-bedrock-trace": "ENABLED" },
      body: '{"prompt":"hi"}',
    });
    expect(input.modelId).toBe("meta.llama3-1-8b-instruct-v1:0");
    expect(input.contentType).toBe("application/octet-stream");
    expect(input.trace).toBe("ENABLED");
    expect(new TextDecoder().decode(input.body as Uint8Array)).toBe('{"prompt":"hi"}');
  });

  it("checks required members wherever they travel", () => {
    expect(
      messageOf(() => decode(bedrockService, "CreateModelCustomizationJob", { body: { jobName: "j" } })),
    ).toContain("Value null at 'customModelName' failed to satisfy constraint: Member must not be null");
  });
});
