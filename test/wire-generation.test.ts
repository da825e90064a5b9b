// The checked-in wire layer must be exactly what the generator makes from the service models.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { generateAll } from "../scripts/generate-wire.js";

it("has generated code that is up to date with spec/ (run `npm run generate` if this fails)", () => {
  const root = join(import.meta.dirname, "..");
  const stale: string[] = [];
  for (const [path, content] of generateAll()) {
    if (readFileSync(join(root, path), "utf8") !== content) stale.push(path);
  }
  expect(stale).toEqual([]);
});
