import { describe, expect, it } from "vitest";
import { loadBedrockModels } from "../catalog/bedrock-catalog/bedrock-model-entry.js";
import { bedrockEquivalentOf, type PricedWork } from "./bedrock-equivalent.js";
import {
  bedrockTrainingPriceOf,
  inferenceSizeClasses,
  sizeClassOf,
  trainingSizeClasses,
} from "./bedrock-size-class.js";
import { pricesFromCatalog } from "./price-invocation.js";

const prices = pricesFromCatalog(loadBedrockModels());
const work = (overrides: Partial<PricedWork>): PricedWork => ({
  servedBy: "LOCAL_ENGINE",
  modelId: "local.tiny",
  requestedModelId: "local.tiny",
  inputTokens: 2000,
  outputTokens: 500,
  status: "success",
  ...overrides,
});
/** The catalog's price of a model for 2,000 input and 500 output tokens. */
function catalogCost(modelId: string): number {
  const price = prices.bedrock[modelId];
  if (!price) throw new Error(`no catalog price for ${modelId}`);
  return 2 * price.inputPer1kTokens + 0.5 * price.outputPer1kTokens;
}

describe("bedrockEquivalentOf", () => {
  it("prices a local model at the Bedrock model of its size class", () => {
    for (const [parameters, bedrockModelId] of [
      [4_851_968, "meta.llama3-2-1b-instruct-v1:0"],
      [3.2e9, "meta.llama3-2-3b-instruct-v1:0"],
      [8e9, "meta.llama3-1-8b-instruct-v1:0"],
      [70e9, "meta.llama3-1-70b-instruct-v1:0"],
    ] as const) {
      const equivalent = bedrockEquivalentOf(work({}), prices, parameters);
      expect(equivalent.bedrockModelId).toBe(bedrockModelId);
      expect(equivalent.costUsd).toBeCloseTo(catalogCost(bedrockModelId), 12);
      expect(equivalent.basis).toContain("size class");
    }
  });

  it("says why there is none: too large, unknown size, traffic on a reservation", () => {
    expect(bedrockEquivalentOf(work({}), prices, 405e9)).toEqual({
      basis: expect.stringContaining("no Bedrock model of the size class"),
    });
    expect(bedrockEquivalentOf(work({}), prices, undefined).costUsd).toBeUndefined();
    const reserved = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefabcdef";
    const onReservation = bedrockEquivalentOf(
      work({ modelId: reserved, requestedModelId: reserved }),
      prices,
      5e6,
    );
    expect(onReservation.costUsd).toBeUndefined();
    expect(onReservation.basis).toContain("model-unit hours");
  });

  it("uses Bedrock's own price for pass-through and for the model an alias stands in for", () => {
    const haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    const passThrough = bedrockEquivalentOf(
      work({ servedBy: "PASS_THROUGH", modelId: haiku, requestedModelId: haiku }),
      prices,
      undefined,
    );
    expect(passThrough.costUsd).toBeCloseTo(catalogCost(haiku), 12);
    const alias = bedrockEquivalentOf(work({ requestedModelId: haiku }), prices, 5e6);
    expect(alias).toMatchObject({ bedrockModelId: haiku, basis: expect.stringContaining("alias") });
    expect(alias.costUsd).toBeCloseTo(catalogCost(haiku), 12);
  });

  it("charges nothing for a request refused before any token", () => {
    const refused = work({ status: "AccessDeniedException", inputTokens: 0, outputTokens: 0 });
    expect(bedrockEquivalentOf(refused, prices, 5e6).costUsd).toBe(0);
  });
});

describe("size classes", () => {
  it("are ordered, and every class names a model the catalog prices", () => {
    for (const classes of [inferenceSizeClasses, trainingSizeClasses]) {
      const bounds = classes.map((sizeClass) => sizeClass.maxParameters);
      expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
    }
    for (const sizeClass of inferenceSizeClasses)
      expect(prices.bedrock[sizeClass.bedrockModelId]).toBeDefined();
    for (const sizeClass of trainingSizeClasses) expect(bedrockTrainingPriceOf(sizeClass)).toBeDefined();
    expect(sizeClassOf(inferenceSizeClasses, 1.5e9)?.bedrockModelId).toBe("meta.llama3-2-1b-instruct-v1:0");
    expect(sizeClassOf(inferenceSizeClasses, 1.5e9 + 1)?.bedrockModelId).toBe(
      "meta.llama3-2-3b-instruct-v1:0",
    );
  });
});
