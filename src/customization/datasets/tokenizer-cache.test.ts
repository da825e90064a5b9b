import { copyFileSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../../../test/support/make-test-model.js";
import { TokenizerCache } from "./tokenizer-cache.js";

let directory: string;
let modelPath: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "strata-tokenizer-cache-"));
  modelPath = join(directory, "tiny.gguf");
  await makeTestModel(modelPath, { tensorType: "F32" });
}, 60_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("TokenizerCache", () => {
  it("loads a base model's tokenizer once, again when the file changes, and evicts the least recently used", async () => {
    const cache = new TokenizerCache(1);
    const first = await cache.get(modelPath);
    expect(await cache.get(modelPath)).toBe(first);
    expect(first.tokenize("The Congress").length).toBeGreaterThan(0);

    utimesSync(modelPath, new Date(), new Date(Date.now() + 5000));
    const reloaded = await cache.get(modelPath);
    expect(reloaded).not.toBe(first);

    const other = join(directory, "other.gguf");
    copyFileSync(modelPath, other);
    await cache.get(other);
    // Capacity 1: the first path's tokenizer was disposed when the other one came in.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reloaded.disposed).toBe(true);
    await cache.dispose();
  }, 60_000);
});
