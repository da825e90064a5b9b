import { describe, expect, it } from "vitest";
import { ValidationException } from "../../protocol/aws-errors.js";
import { detectNativeFamily } from "./detect-native-family.js";

describe("detectNativeFamily", () => {
  it.each([
    ["anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic-messages"],
    ["us.anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic-messages"],
    ["meta.llama3-1-8b-instruct-v1:0", "meta-llama"],
    ["amazon.nova-micro-v1:0", "amazon-nova"],
    ["amazon.titan-text-express-v1", "amazon-titan-text"],
  ])("takes the family of the Bedrock id %s, whatever the body", (modelId, family) => {
    expect(detectNativeFamily(modelId, { prompt: "x" }).name).toBe(family);
  });

  it.each([
    [{ anthropic_version: "bedrock-2023-05-31", messages: [] }, "anthropic-messages"],
    [{ inputText: "x" }, "amazon-titan-text"],
    [{ prompt: "x" }, "meta-llama"],
    [{ messages: [] }, "amazon-nova"],
  ])("sniffs the body %j sent to a local model", (body, family) => {
    expect(detectNativeFamily("strata.tiny", body).name).toBe(family);
    expect(detectNativeFamily("local.imported", body).name).toBe(family);
  });

  it("lists the accepted shapes when the body matches none", () => {
    expect(() => detectNativeFamily("strata.tiny", { text: "x" })).toThrow(ValidationException);
    expect(() => detectNativeFamily("strata.tiny", "x")).toThrow(
      /Anthropic Messages .*Amazon Titan Text .*Meta Llama .*Amazon Nova/,
    );
  });

  it("refuses a Bedrock family whose native body Strata does not translate", () => {
    expect(() => detectNativeFamily("mistral.mistral-7b-instruct-v0:2", { prompt: "x" })).toThrow(
      /Use Converse for other models/,
    );
    expect(() => detectNativeFamily("amazon.nova-canvas-v1:0", { messages: [] })).toThrow(
      ValidationException,
    );
  });
});
