import { describe, expect, it } from "vitest";
import { parsePromptsFile } from "./compare-prompts-file.js";

describe("parsePromptsFile", () => {
  it("reads one prompt per line and JSON lines, skipping blank lines", () => {
    expect(
      parsePromptsFile('Tell me a joke\n\n{"prompt": "Be brief", "system": "You are terse."}\r\n', "p.txt"),
    ).toEqual({
      ok: true,
      prompts: [{ text: "Tell me a joke" }, { text: "Be brief", system: "You are terse." }],
    });
  });

  it("names the file, line and reason of the first problem", () => {
    expect(parsePromptsFile('ok\n{"prompt": 1}', "p.jsonl")).toEqual({
      ok: false,
      problem: 'p.jsonl:2: "prompt" must be a non-empty string',
    });
    expect(parsePromptsFile('{"prompt": "x", "temperature": 1}', "p.jsonl")).toEqual({
      ok: false,
      problem: 'p.jsonl:1: unknown field "temperature" (allowed: prompt, system)',
    });
    const broken = parsePromptsFile("{not json", "p.jsonl");
    expect(broken.ok ? "" : broken.problem).toMatch(/^p\.jsonl:1: not valid JSON/);
    expect(parsePromptsFile("\n \n", "empty.txt")).toEqual({
      ok: false,
      problem: "empty.txt: no prompts (the file is empty)",
    });
  });
});
