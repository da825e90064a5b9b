import { describe, expect, it } from "vitest";
import { describeLabeledProblems, readLabeledDataset } from "./labeled-dataset.js";

async function* chunks(text: string | Uint8Array) {
  yield text;
}

const good = [
  '{"text":"Win money now","label":"spam"}',
  '{"text":"Minutes of the meeting","label":"ham"}',
].join("\n");

describe("labeled datasets", () => {
  it("reads {text, label} records and their sorted labels", async () => {
    const report = await readLabeledDataset(chunks(`\ufeff${good}\r\n`), { fileName: "s3://b/train.jsonl" });
    expect(report.problems).toEqual([]);
    expect(report.labels).toEqual(["ham", "spam"]);
    expect(report.records).toEqual([
      { text: "Win money now", label: "spam", line: 1 },
      { text: "Minutes of the meeting", label: "ham", line: 2 },
    ]);
  });

  it("refuses a training file with one class only", async () => {
    const report = await readLabeledDataset(
      chunks('{"text":"a","label":"spam"}\n{"text":"b","label":"spam"}\n'),
      {
        fileName: "train.jsonl",
      },
    );
    expect(report.problems).toEqual([
      {
        file: "train.jsonl",
        line: 0,
        field: "label",
        reason: 'every record has the label "spam": a classifier needs at least two classes',
      },
    ]);
  });

  it("names file, line and field of missing fields, empty text and wrong types", async () => {
    const text = [
      '{"text":"fine","label":"ham"}',
      '{"label":"spam"}',
      '{"text":"   ","label":"spam"}',
      '{"text":"x","label":3}',
      '{"text":"x","label":"ham","id":7}',
      "not json",
      "",
      '["a list"]',
    ].join("\n");
    const report = await readLabeledDataset(chunks(text), { fileName: "train.jsonl" });
    expect(report.problems.map(({ line, field, reason }) => [line, field, reason])).toEqual([
      [2, "text", '"text" is missing'],
      [3, "text", '"text" must be a non-empty string, but it is only whitespace'],
      [4, "label", '"label" must be a non-empty string, but it is a number'],
      [5, "id", 'unexpected key "id"; allowed keys are "text", "label"'],
      [6, undefined, expect.stringMatching(/^invalid JSON: /)],
      [7, undefined, "empty line; every line must hold one JSON record"],
      [8, undefined, 'each line must be a JSON object like {"text": "...", "label": "..."}'],
    ]);
    expect(describeLabeledProblems(report, 2)).toBe(
      'train.jsonl:2 text: "text" is missing; train.jsonl:3 text: "text" must be a non-empty string, but it is only whitespace; and 5 more problem(s)',
    );
  });

  it("refuses labels in validation data that the training data does not have", async () => {
    const report = await readLabeledDataset(
      chunks('{"text":"a","label":"ham"}\n{"text":"b","label":"eggs"}\n'),
      {
        fileName: "validation.jsonl",
        trainingLabels: ["ham", "spam"],
      },
    );
    expect(report.problems).toEqual([
      {
        file: "validation.jsonl",
        line: 2,
        field: "label",
        reason: 'the label "eggs" does not occur in the training data (its labels: ham, spam)',
      },
    ]);
  });

  it("refuses an empty file, invalid UTF-8, and files over the limits", async () => {
    expect((await readLabeledDataset(chunks(""), { fileName: "e" })).problems[0]?.reason).toBe(
      "the file holds no records",
    );
    const invalid = await readLabeledDataset(chunks(Uint8Array.of(0x7b, 0xff, 0x7d)), { fileName: "u" });
    expect(invalid.problems[0]).toMatchObject({ line: 1, reason: "the line is not valid UTF-8 text" });
    const many = await readLabeledDataset(chunks(`${good}\n${good}\n`), { fileName: "m", maxRecords: 3 });
    expect(many.problems).toEqual([{ file: "m", line: 4, reason: "too many records: the limit is 3" }]);
    const big = await readLabeledDataset(chunks(good), { fileName: "b", maxBytes: 10 });
    expect(big.problems[0]?.reason).toBe("the file is larger than the limit of 10 bytes");
  });
});
