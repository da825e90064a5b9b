import { describe, expect, it } from "vitest";
import type { CatalogModel } from "../protocol/generated/strata-types.js";
import { capabilityWarnings } from "./capability-warnings.js";

const local: CatalogModel = {
  modelId: "strata.tiny-chat-v1",
  modelArn: "arn:aws:bedrock:us-east-1::foundation-model/strata.tiny-chat-v1",
  providerName: "Strata",
  servedBy: "LOCAL_ENGINE",
  inputModalities: ["TEXT"],
  outputModalities: ["TEXT"],
  customizationsSupported: [],
  inferenceTypesSupported: ["ON_DEMAND"],
  lifecycleStatus: "ACTIVE",
  localModel: {
    source: "builtin",
    architecture: "llama",
    parameterCount: 4_851_968,
    contextLength: 512,
    quantization: "Q8_0",
    trainerSupported: true,
    hasChatTemplate: true,
    fileSizeBytes: 1,
    creationTime: new Date(0),
  },
};
const titan: CatalogModel = {
  ...local,
  modelId: "amazon.titan-text-express-v1",
  servedBy: "CATALOG_ONLY",
  lifecycleStatus: "LEGACY",
  capabilities: { toolUse: false, systemPrompt: false },
};
delete titan.localModel;
const none = { image: false, system: false, tools: false };

describe("capabilityWarnings", () => {
  it("has nothing to say about a plain text prompt on a local chat model", () => {
    expect(capabilityWarnings(local, { image: false, system: true, tools: true }, true)).toEqual([]);
  });

  it("names the model and what it lacks", () => {
    expect(capabilityWarnings(local, { ...none, image: true })).toEqual([
      "strata.tiny-chat-v1 does not accept IMAGE input (input modalities: TEXT)",
    ]);
    expect(capabilityWarnings(local, { ...none, tools: true }, false)).toEqual([
      "strata.tiny-chat-v1 does not support tool use: its chat template has no tool support",
    ]);
    const withoutTemplate = { ...local, localModel: { ...local.localModel, hasChatTemplate: false } };
    expect(capabilityWarnings(withoutTemplate as CatalogModel, none)[0]).toContain("no chat template");
  });

  it("reads Bedrock's capability flags, lifecycle and how the model is served", () => {
    const warnings = capabilityWarnings(titan, { image: false, system: true, tools: true });
    expect(warnings).toEqual([
      expect.stringContaining("is in the catalog only"),
      "amazon.titan-text-express-v1 is a LEGACY model on Bedrock",
      "amazon.titan-text-express-v1 does not support a system prompt (Bedrock model capabilities)",
      "amazon.titan-text-express-v1 does not support tool use (Bedrock model capabilities)",
    ]);
  });
});
