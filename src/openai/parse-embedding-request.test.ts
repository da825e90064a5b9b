import { describe, expect, it } from "vitest";
import { parseEmbeddingRequest } from "./parse-embedding-request.js";

describe("parseEmbeddingRequest", () => {
  it("reads one string or a list of strings, floats by default", () => {
    expect(parseEmbeddingRequest({ model: "m", input: "hello" })).toEqual({
      success: true,
      value: { model: "m", inputs: ["hello"], encodingFormat: "float" },
    });
    expect(
      parseEmbeddingRequest({ model: "m", input: ["a", "b"], encoding_format: "base64", dimensions: 64 }),
    ).toEqual({
      success: true,
      value: { model: "m", inputs: ["a", "b"], encodingFormat: "base64", dimensions: 64 },
    });
  });

  it.each([
    [{ model: "m" }, "input", "missing_required_parameter"],
    [{ model: "m", input: "" }, "input", "invalid_value"],
    [{ model: "m", input: [] }, "input", "invalid_value"],
    [{ model: "m", input: ["a", ""] }, "input[1]", "invalid_value"],
    [{ model: "m", input: [1, 2] }, "input[0]", "unsupported_parameter"],
    [{ model: "m", input: [[1, 2]] }, "input[0]", "unsupported_parameter"],
    [{ model: "m", input: "a", encoding_format: "hex" }, "encoding_format", "invalid_value"],
    [{ model: "m", input: "a", dimensions: 0 }, "dimensions", "invalid_value"],
    [{ input: "a" }, "model", "missing_required_parameter"],
  ])("refuses %j naming %s", (body, param, code) => {
    const result = parseEmbeddingRequest(body);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.toBody().error).toMatchObject({ param, code });
  });
});
