import { describe, expect, it } from "vitest";
import { describeDatasetProblems, parseEvaluationDataset } from "./parse-evaluation-dataset.js";

const rules = { maxRecords: 1000, requireReference: true };
const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseEvaluationDataset", () => {
  it("reads Bedrock's prompt / referenceResponse / category records, BOM and CRLF included", () => {
    const parsed = parseEvaluationDataset(
      bytes(
        '\ufeff{"prompt":"Who declares war?","referenceResponse":"The Congress.","category":"facts"}\r\n{"prompt":"Say hi","referenceResponse":"Hi"}\n',
      ),
      rules,
    );
    expect(parsed).toEqual({
      ok: true,
      records: [
        { line: 1, prompt: "Who declares war?", referenceResponse: "The Congress.", category: "facts" },
        { line: 2, prompt: "Say hi", referenceResponse: "Hi" },
      ],
    });
  });

  it("names every bad line and field", () => {
    const parsed = parseEvaluationDataset(
      bytes(
        [
          '{"prompt":"ok","referenceResponse":"fine"}',
          "{not json",
          '{"prompt":"","referenceResponse":"x"}',
          '{"prompt":"q","referenceResponse":3,"label":"a"}',
          "",
          '["prompt"]',
          '{"prompt":"q"}',
          '{"prompt":"q","referenceResponse":"r","modelResponses":[]}',
        ].join("\n"),
      ),
      rules,
    );
    if (parsed.ok) throw new Error("expected problems");
    expect(parsed.problems.map(({ line, field }) => [line, field])).toEqual([
      [2, undefined],
      [3, "prompt"],
      [4, "label"],
      [4, "referenceResponse"],
      [5, undefined],
      [6, undefined],
      [7, "referenceResponse"],
      [8, "modelResponses"],
    ]);
    expect(parsed.problems[1]?.reason).toBe('"prompt" must be a non-empty string, but it is an empty string');
    expect(parsed.problems[3]?.reason).toBe(
      '"referenceResponse" must be a non-empty string, but it is a number',
    );
    expect(parsed.problems[7]?.reason).toMatch(/does not take precomputed responses/);
    const message = describeDatasetProblems("s3://strata/eval.jsonl", parsed.problems);
    expect(message).toMatch(
      /^The evaluation dataset s3:\/\/strata\/eval\.jsonl is not usable: line 2: invalid JSON/,
    );
    expect(message).toContain('line 4, field "label": unexpected key "label"');
  });

  it("takes records without a reference when no metric needs one", () => {
    expect(parseEvaluationDataset(bytes('{"prompt":"q"}'), { ...rules, requireReference: false }).ok).toBe(
      true,
    );
  });

  it("refuses invalid UTF-8, an empty file and too many records", () => {
    const invalid = parseEvaluationDataset(
      new Uint8Array([...bytes('{"prompt":"a","referenceResponse":"b"}\n'), 0xff, 0xfe, 0x0a]),
      rules,
    );
    expect(invalid).toEqual({ ok: false, problems: [{ line: 2, reason: "the line is not valid UTF-8" }] });
    expect(parseEvaluationDataset(bytes(""), rules)).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    const three = bytes('{"prompt":"a","referenceResponse":"b"}\n'.repeat(3));
    expect(parseEvaluationDataset(three, { ...rules, maxRecords: 2 })).toMatchObject({
      ok: false,
      problems: [{ reason: "the dataset has 3 records; an evaluation takes at most 2" }],
    });
  });
});
