import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { checkpointKey, ExampleCheckpoint } from "./example-checkpoint.js";

it("reads back what was appended, skipping a line a crash cut in half and lines that are not results", async () => {
  const directory = join(mkdtempSync(join(tmpdir(), "strata-checkpoint-")), "job");
  const checkpoint = new ExampleCheckpoint(directory);
  expect((await checkpoint.load()).size).toBe(0);
  await checkpoint.append({
    dataset: 0,
    model: 1,
    example: 2,
    result: { line: 3, response: "The Congress." },
  });
  await checkpoint.append({
    dataset: 0,
    model: 1,
    example: 3,
    result: { line: 4, error: "context overflow" },
  });
  appendFileSync(
    join(directory, "examples.jsonl"),
    '{"dataset":0,"model":1,"example":4,"result":{"line":5,"resp',
  );
  appendFileSync(
    join(directory, "examples.jsonl"),
    '\n{"dataset":-1,"model":0,"example":0,"result":{"line":1}}\n',
  );
  const loaded = await checkpoint.load();
  expect([...loaded.keys()]).toEqual([checkpointKey(0, 1, 2), checkpointKey(0, 1, 3)]);
  expect(loaded.get(checkpointKey(0, 1, 2))).toEqual({ line: 3, response: "The Congress." });
  // Appending after the cut line starts a line of its own.
  appendFileSync(join(directory, "examples.jsonl"), '{"dataset":0,"model":0,"example":0,"result":{"li');
  await checkpoint.load();
  await checkpoint.append({ dataset: 0, model: 0, example: 9, result: { line: 10, response: "x" } });
  expect((await checkpoint.load()).get(checkpointKey(0, 0, 9))).toEqual({ line: 10, response: "x" });
});
