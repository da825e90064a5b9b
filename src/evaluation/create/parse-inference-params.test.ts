import { describe, expect, it } from "vitest";
import { parseInferenceParams } from "./parse-inference-params.js";

const field = "inferenceConfig.models[0].bedrockModel.inferenceParams";

describe("parseInferenceParams", () => {
  it("defaults to greedy chat prompts of at most 256 tokens", () => {
    expect(parseInferenceParams(undefined, field)).toEqual({
      ok: true,
      settings: { maxTokens: 256, temperature: 0, promptFormat: "chat" },
    });
  });

  it("reads Bedrock's inferenceConfig and Strata's promptFormat", () => {
    const parsed = parseInferenceParams(
      JSON.stringify({
        inferenceConfig: { maxTokens: 32, temperature: 0.5, topP: 0.9, stopSequences: ["\n"] },
        promptFormat: "text",
      }),
      field,
    );
    expect(parsed).toEqual({
      ok: true,
      settings: { maxTokens: 32, temperature: 0.5, topP: 0.9, stopSequences: ["\n"], promptFormat: "text" },
    });
  });

  it("names the field of every bad value", () => {
    expect(parseInferenceParams("{", field)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/is not JSON/),
    });
    expect(parseInferenceParams('{"inferenceConfig":{"maxTokens":0}}', field)).toEqual({
      ok: false,
      reason: `${field}.inferenceConfig.maxTokens must be a whole number in 1–8192, got 0`,
    });
    expect(parseInferenceParams('{"inferenceConfig":{"top_k":5}}', field)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inferenceConfig\.top_k is not an inferenceConfig field/),
    });
    expect(parseInferenceParams('{"temperature":0.2}', field)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inferenceParams\.temperature is not an inference parameter/),
    });
    expect(parseInferenceParams('{"promptFormat":"raw"}', field)).toMatchObject({ ok: false });
  });
});
