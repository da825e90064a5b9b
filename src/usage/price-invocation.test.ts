import { describe, expect, it } from "vitest";
import { loadBedrockModels } from "../catalog/bedrock-catalog/bedrock-model-entry.js";
import type { InvocationRecord } from "./invocation-record.js";
import {
  defaultLocalPriceTable,
  type LocalPriceTable,
  parseLocalPriceTable,
  priceInvocation,
  pricesFromCatalog,
} from "./price-invocation.js";

const haiku = "anthropic.claude-3-haiku-20240307-v1:0";

function invocation(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    requestId: "r-1",
    requestedModelId: haiku,
    modelId: haiku,
    servedBy: "PASS_THROUGH",
    operation: "Converse",
    callerKeyId: "AKIA1",
    inputTokens: 2_000,
    outputTokens: 500,
    latencyMs: 120,
    status: "success",
    startedAt: new Date("2026-11-29T10:00:00.000Z"),
    ...overrides,
  };
}

const localTable: LocalPriceTable = {
  default: { inputPer1kTokens: 0.0001, outputPer1kTokens: 0.001, source: "test default" },
  models: { "local.big": { inputPer1kTokens: 0.0005, outputPer1kTokens: 0.004 } },
};
const prices = pricesFromCatalog(loadBedrockModels(), localTable);

describe("priceInvocation", () => {
  it("prices a pass-through invocation at the catalog's Bedrock on-demand price", () => {
    const price = priceInvocation(invocation(), prices);
    expect(price.basis).toBe("bedrock-on-demand");
    expect(price.inputPer1kTokens).toBe(0.00025);
    expect(price.outputPer1kTokens).toBe(0.00125);
    // 2 × 0.00025 + 0.5 × 0.00125
    expect(price.costUsd).toBeCloseTo(0.001125, 12);
    expect(price.source).toContain("aws.amazon.com/bedrock/pricing");
    expect(price.source).toContain("2025-07-20");
    expect(price.bedrockEquivalent).toBeUndefined();
  });

  it("prices a cross-region inference profile id and an ARN as the underlying model", () => {
    const profile = priceInvocation(
      invocation({ modelId: `us.${haiku}`, requestedModelId: `us.${haiku}` }),
      prices,
    );
    expect(profile.basis).toBe("bedrock-on-demand");
    expect(profile.costUsd).toBeCloseTo(0.001125, 12);
    expect(profile.source).toContain(`priced as ${haiku}`);
    const arn = `arn:aws:bedrock:us-west-2::foundation-model/${haiku}`;
    expect(priceInvocation(invocation({ modelId: arn }), prices).costUsd).toBeCloseTo(0.001125, 12);
  });

  it("prices a local model at the local default", () => {
    const price = priceInvocation(
      invocation({ servedBy: "LOCAL_ENGINE", modelId: "local.tiny", requestedModelId: "local.tiny" }),
      prices,
    );
    expect(price).toEqual({
      basis: "local-default",
      costUsd: expect.closeTo(2 * 0.0001 + 0.5 * 0.001, 12),
      inputPer1kTokens: 0.0001,
      outputPer1kTokens: 0.001,
      source: "test default",
    });
  });

  it("prices a local model with a per-model override, noting that it was configured", () => {
    const price = priceInvocation(
      invocation({ servedBy: "LOCAL_ENGINE", modelId: "local.big", requestedModelId: "local.big" }),
      prices,
    );
    expect(price.basis).toBe("local-model");
    expect(price.costUsd).toBeCloseTo(2 * 0.0005 + 0.5 * 0.004, 12);
    expect(price.source).toBe("local price table (configured)");
  });

  it("charges an aliased Bedrock id at the local price and records what Bedrock would have charged", () => {
    const price = priceInvocation(
      invocation({ servedBy: "LOCAL_ENGINE", requestedModelId: haiku, modelId: "local.big" }),
      prices,
    );
    expect(price.basis).toBe("local-model");
    expect(price.costUsd).toBeCloseTo(0.003, 12);
    expect(price.bedrockEquivalent).toEqual({
      modelId: haiku,
      costUsd: expect.closeTo(0.001125, 12),
      inputPer1kTokens: 0.00025,
      outputPer1kTokens: 0.00125,
      source: expect.stringContaining("aws.amazon.com/bedrock/pricing"),
    });
    // Asked by ARN: the same Bedrock model.
    const byArn = priceInvocation(
      invocation({
        servedBy: "LOCAL_ENGINE",
        requestedModelId: `arn:aws:bedrock:us-east-1::foundation-model/${haiku}`,
        modelId: "local.tiny",
      }),
      prices,
    );
    expect(byArn.basis).toBe("local-default");
    expect(byArn.bedrockEquivalent?.modelId).toBe(haiku);
  });

  it("records a model without a token price at cost 0 with basis unpriced", () => {
    for (const modelId of ["amazon.nova-canvas-v1:0", "amazon.nova-lite-v1:0:300k", "vendor.unknown-v1:0"]) {
      const price = priceInvocation(invocation({ modelId, requestedModelId: modelId }), prices);
      expect(price).toMatchObject({
        basis: "unpriced",
        costUsd: 0,
        inputPer1kTokens: 0,
        outputPer1kTokens: 0,
      });
      expect(price.source).toContain(modelId);
    }
  });

  it("prices an embedding model's input only", () => {
    const modelId = "amazon.titan-embed-text-v2:0";
    const price = priceInvocation(
      invocation({ modelId, requestedModelId: modelId, outputTokens: 0 }),
      prices,
    );
    expect(price.basis).toBe("bedrock-on-demand");
    expect(price.costUsd).toBeCloseTo(2 * 0.00002, 12);
  });
});

describe("the default local price table", () => {
  it("is an estimate that says so", () => {
    expect(defaultLocalPriceTable.default.inputPer1kTokens).toBeGreaterThan(0);
    expect(defaultLocalPriceTable.default.outputPer1kTokens).toBeGreaterThan(
      defaultLocalPriceTable.default.inputPer1kTokens,
    );
    expect(defaultLocalPriceTable.default.source).toMatch(/estimate/);
    expect(defaultLocalPriceTable.default.source).toMatch(/not measured/);
    expect(pricesFromCatalog([]).local).toBe(defaultLocalPriceTable);
  });

  it("parses a configured table and names the first bad field", () => {
    expect(
      parseLocalPriceTable({ models: { "local.x": { inputPer1kTokens: 0, outputPer1kTokens: 0.1 } } }),
    ).toEqual({
      default: defaultLocalPriceTable.default,
      models: { "local.x": { inputPer1kTokens: 0, outputPer1kTokens: 0.1 } },
    });
    expect(() => parseLocalPriceTable({ default: { inputPer1kTokens: -1, outputPer1kTokens: 0 } })).toThrow(
      "localPrices.default.inputPer1kTokens must be a number >= 0",
    );
    expect(() => parseLocalPriceTable({ defaults: {} })).toThrow("localPrices.defaults is not a known field");
  });
});
