import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { makeTestModel } from "../../test/support/make-test-model.js";
import { openDatabase } from "../storage/database/open-database.js";
import { LocalModelRegistry, type NewLocalModel } from "./local-model-registry.js";
import { refreshTrainerSupport } from "./refresh-trainer-support.js";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function stored(modelId: string, filePath: string, trainerSupported: boolean): NewLocalModel {
  return {
    modelId,
    modelName: modelId,
    providerName: "Local",
    source: "imported",
    architecture: "qwen2",
    parameterCount: 1,
    contextLength: 256,
    quantization: "Q8_0",
    trainerSupported,
    filePath,
    sourceUri: "s3://strata/models/x.gguf",
    fileSizeBytes: 1,
  };
}

it("takes the trainer's verdict again from each stored model's file, and leaves an unreadable one as it was", async () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), "strata-refresh-"));
  directories.push(dataDirectory);
  mkdirSync(join(dataDirectory, "models"));
  // A qwen2 file imported by a Strata whose trainer did not build qwen2 yet: stored as not customizable.
  await makeTestModel(join(dataDirectory, "models", "old-qwen.gguf"), { architecture: "qwen2" });
  const { database, close } = await openDatabase(join(dataDirectory, "strata.db"));
  try {
    const registry = new LocalModelRegistry(database);
    await registry.register(stored("local.old-qwen", "models/old-qwen.gguf", false));
    await registry.register(stored("local.gone", "models/gone.gguf", true));
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (message: string) => void warnings.push(message),
    };

    expect(await refreshTrainerSupport(registry, dataDirectory, logger)).toEqual(["local.old-qwen"]);
    expect((await registry.find("local.old-qwen"))?.trainerSupported).toBe(true);
    expect((await registry.find("local.gone"))?.trainerSupported).toBe(true);
    expect(warnings).toEqual(["local model file unreadable; its trainer support is left as it was"]);
    // Nothing changes the second time.
    expect(await refreshTrainerSupport(registry, dataDirectory, logger)).toEqual([]);
  } finally {
    await close();
  }
});
