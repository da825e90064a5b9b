import { describe, expect, it } from "vitest";
import {
  type DatasetProblem,
  DEFAULT_MAX_BYTES,
  parseJsonLine,
  type ValidateDatasetOptions,
  validateDataset,
} from "./validate-dataset.js";

async function* chunksOf(...chunks: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const jsonl = (...records: unknown[]): string => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

function validate(text: string | Uint8Array, options: Partial<ValidateDatasetOptions> = {}) {
  return validateDataset(chunksOf(text), { fileName: "train.jsonl", ...options });
}

const user = (text: string) => ({ role: "user", content: [{ text }] });
const assistant = (text: string) => ({ role: "assistant", content: [{ text }] });
const conversation = (messages: unknown[], extra: Record<string, unknown> = {}) => ({
  schemaVersion: "bedrock-conversation-2024",
  ...extra,
  messages,
});
const pc = { prompt: "What is 2+2?", completion: "4" };

describe("valid files", () => {
  it("accepts prompt/completion records", async () => {
    const report = await validate(jsonl(pc, { prompt: "Hi", completion: "Hello" }));
    expect(report.problems).toEqual([]);
    expect(report.format).toBe("prompt-completion");
    expect(report.records).toBe(2);
    expect(report.stats).toMatchObject({
      validRecords: 2,
      characters: 12 + 1 + 2 + 5,
      maxRecordCharacters: 13,
    });
  });

  it("accepts continued-pre-training records", async () => {
    const report = await validate(jsonl({ input: "Some unlabeled text." }, { input: "More." }));
    expect(report.problems).toEqual([]);
    expect(report.format).toBe("continued-pre-training");
    expect(report.stats.validRecords).toBe(2);
  });

  it("accepts single- and multi-turn conversation records with a system prompt", async () => {
    const report = await validate(
      jsonl(
        conversation([user("Hi"), assistant("Hello")], { system: [{ text: "Be brief." }] }),
        conversation([user("a"), assistant("b"), user("c"), assistant("d")]),
      ),
    );
    expect(report.problems).toEqual([]);
    expect(report.format).toBe("conversation");
    expect(report.stats.validRecords).toBe(2);
  });

  it("accepts a UTF-8 BOM and CRLF line endings, and counts every byte", async () => {
    const text = `\uFEFF${JSON.stringify(pc)}\r\n${JSON.stringify(pc)}\r\n`;
    const report = await validate(text);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(2);
    expect(report.bytes).toBe(Buffer.byteLength(text));
  });

  it("joins a line split across chunks, including inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode(jsonl({ prompt: "Grüße €", completion: "ok" }, pc));
    const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of "€"
    const report = await validateDataset(chunksOf(bytes.slice(0, 5), bytes.slice(5, cut), bytes.slice(cut)), {
      fileName: "train.jsonl",
    });
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(2);
    expect(report.bytes).toBe(bytes.length);
  });

  it("accepts a last line without a newline", async () => {
    const report = await validate(JSON.stringify(pc));
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(1);
  });
});

// Each broken snippet: the file text, and the problems expected (file name left out).
const corpus: { name: string; text: string | Uint8Array; expected: Omit<DatasetProblem, "file">[] }[] = [
  {
    name: "bad JSON",
    text: `${JSON.stringify(pc)}\n{"prompt": "x", "completion": }\n`,
    expected: [{ line: 2, reason: expect.stringMatching(/^invalid JSON: /) }],
  },
  {
    name: "a line that is not an object",
    text: `[1, 2]\n`,
    expected: [{ line: 1, reason: "each line must be a JSON object, but this one is a list" }],
  },
  {
    name: "wrong key",
    text: jsonl(pc, { prompt: "x", completion: "y", answer: "z" }),
    expected: [{ line: 2, field: "answer", reason: expect.stringContaining('unexpected key "answer"') }],
  },
  {
    name: "missing key",
    text: jsonl(pc, { prompt: "x" }),
    expected: [{ line: 2, field: "completion", reason: '"completion" is missing' }],
  },
  {
    name: "empty prompt",
    text: jsonl({ prompt: "", completion: "y" }),
    expected: [
      { line: 1, field: "prompt", reason: '"prompt" must be a non-empty string, but it is an empty string' },
    ],
  },
  {
    name: "empty input",
    text: jsonl({ input: "" }),
    expected: [
      { line: 1, field: "input", reason: '"input" must be a non-empty string, but it is an empty string' },
    ],
  },
  {
    name: "empty message text",
    text: jsonl(conversation([user("Hi"), assistant("")])),
    expected: [
      {
        line: 1,
        field: "messages[1].content[0].text",
        reason: '"messages[1].content[0].text" must be a non-empty string, but it is an empty string',
      },
    ],
  },
  {
    name: "empty content list",
    text: jsonl(conversation([user("Hi"), { role: "assistant", content: [] }])),
    expected: [
      {
        line: 1,
        field: "messages[1].content",
        reason: '"messages[1].content" must hold at least one {"text": ...} block',
      },
    ],
  },
  {
    name: "empty system text",
    text: jsonl(conversation([user("Hi"), assistant("Yo")], { system: [{ text: "" }] })),
    expected: [{ line: 1, field: "system[0].text", reason: expect.stringContaining("non-empty string") }],
  },
  {
    name: "wrong role order",
    text: jsonl(conversation([user("a"), assistant("b"), assistant("c"), assistant("d")])),
    expected: [
      {
        line: 1,
        field: "messages[2].role",
        reason:
          'roles must alternate user/assistant, so "messages[2].role" should be "user", but it is "assistant"',
      },
    ],
  },
  {
    name: "conversation starting with the assistant",
    text: jsonl(conversation([assistant("a"), user("b")])),
    expected: [
      {
        line: 1,
        field: "messages[0].role",
        reason: expect.stringContaining('must start with a "user" message'),
      },
      { line: 1, field: "messages[1].role", reason: expect.stringContaining('should be "assistant"') },
    ],
  },
  {
    name: "unknown role",
    text: jsonl(conversation([{ role: "system", content: [{ text: "x" }] }, assistant("b")])),
    expected: [
      {
        line: 1,
        field: "messages[0].role",
        reason: '"messages[0].role" must be "user" or "assistant", but it is "system"',
      },
    ],
  },
  {
    name: "last message from user",
    text: jsonl(conversation([user("a"), assistant("b"), user("c")])),
    expected: [
      {
        line: 1,
        field: "messages[2].role",
        reason: 'the conversation must end with an "assistant" message, but "messages[2].role" is "user"',
      },
    ],
  },
  {
    name: "a lone user message",
    text: jsonl(conversation([user("a")])),
    expected: [
      { line: 1, field: "messages", reason: expect.stringContaining("at least a user message followed by") },
      {
        line: 1,
        field: "messages[0].role",
        reason: expect.stringContaining('must end with an "assistant" message'),
      },
    ],
  },
  {
    name: "wrong schemaVersion",
    text: jsonl({ ...conversation([user("a"), assistant("b")]), schemaVersion: "bedrock-conversion-2024" }),
    expected: [
      {
        line: 1,
        field: "schemaVersion",
        reason: '"schemaVersion" must be "bedrock-conversation-2024", but it is "bedrock-conversion-2024"',
      },
    ],
  },
  {
    name: "missing schemaVersion",
    text: jsonl({ messages: [user("a"), assistant("b")] }),
    expected: [
      { line: 1, field: "schemaVersion", reason: expect.stringContaining('"schemaVersion" is missing') },
    ],
  },
  {
    name: "mixed formats",
    text: jsonl(pc, { input: "text" }, conversation([user("a"), assistant("b")])),
    expected: [
      {
        line: 2,
        reason: expect.stringMatching(
          /^mixed formats: this record is continued pre-training .*from line 1\)$/,
        ),
      },
      { line: 3, reason: expect.stringMatching(/^mixed formats: this record is conversation/) },
    ],
  },
  {
    name: "invalid UTF-8 bytes",
    text: new Uint8Array([
      ...new TextEncoder().encode(`${JSON.stringify(pc)}\n{"prompt": "`),
      0xc3,
      0x28,
      ...new TextEncoder().encode(`", "completion": "y"}\n`),
    ]),
    expected: [{ line: 2, reason: "the line is not valid UTF-8 text" }],
  },
  {
    name: "empty line",
    text: `${JSON.stringify(pc)}\n\n${JSON.stringify(pc)}\n`,
    expected: [{ line: 2, reason: "empty line; every line must hold one JSON record" }],
  },
  {
    name: "no known format",
    text: jsonl({ question: "q", answer: "a" }),
    expected: [{ line: 1, reason: expect.stringMatching(/^the record matches no known format/) }],
  },
  {
    name: "empty file",
    text: "",
    expected: [{ line: 0, reason: "the file holds no records" }],
  },
];

describe("broken datasets", () => {
  for (const { name, text, expected } of corpus) {
    it(name, async () => {
      const report = await validate(text);
      expect(report.problems).toEqual(expected.map((p) => ({ file: "train.jsonl", ...p })));
    });
  }

  it("reports too many records once, at the first record over the limit", async () => {
    const report = await validate(jsonl(pc, pc, pc, pc), { maxRecords: 2 });
    expect(report.records).toBe(4);
    expect(report.problems).toEqual([
      { file: "train.jsonl", line: 3, reason: "too many records: the limit is 2, and this is record 3" },
    ]);
  });

  it("reports a file that is too large once, at the line that crosses the limit", async () => {
    const line = `${JSON.stringify(pc)}\n`;
    const report = await validate(line.repeat(5), { maxBytes: line.length * 2 + 1 });
    expect(report.problems).toEqual([
      {
        file: "train.jsonl",
        line: 3,
        reason: `the file is larger than the limit of ${line.length * 2 + 1} bytes (reached while reading this line)`,
      },
    ]);
    expect(DEFAULT_MAX_BYTES).toBe(1_000_000_000);
  });

  it("reports a record with too many tokens when a counter is given", async () => {
    const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const report = await validate(jsonl({ input: "one two" }, { input: "one two three four five" }), {
      countTokens,
      maxRecordTokens: 3,
    });
    expect(report.problems).toEqual([
      { file: "train.jsonl", line: 2, reason: "the record has 5 tokens, more than the limit of 3" },
    ]);
    expect(report.stats).toMatchObject({ maxRecordTokens: 5, validRecords: 1 });
  });

  it("caps the problem list and counts the rest", async () => {
    const report = await validate("{\n".repeat(7), { maxProblems: 5 });
    expect(report.problems).toHaveLength(5);
    expect(report.omittedProblems).toBe(2);
  });
});

it("parseJsonLine returns success or the parser's error", () => {
  expect(parseJsonLine('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  const bad = parseJsonLine("{");
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.error).not.toBe("");
});
