// Makes a tiny real model (see make-test-model.ts) and registers it in a running test server, as an import
// would: catalog id local.<name>, an imported-model ARN, the file under <data-dir>/models/.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { LocalModel } from "../../src/catalog/local-model-registry.js";
import type { LlamaFamilyArchitecture } from "../../src/model-files/create-model/write-llama-gguf.js";
import type { GgufWritableTensorType } from "../../src/model-files/gguf/write-gguf.js";
import { registerGgufModel } from "../../src/model-import/register-gguf-model.js";
import { newResourceId } from "../../src/model-import/resource-ids.js";
import { makeTestModel } from "./make-test-model.js";
import type { TestStrata } from "./start-test-strata.js";

export async function registerTestModel(
  strata: TestStrata,
  modelId = "local.test-tiny",
  options: {
    seed?: number;
    tensorType?: GgufWritableTensorType;
    vocabularySize?: number;
    contextLength?: number;
    architecture?: LlamaFamilyArchitecture;
  } = {},
): Promise<LocalModel> {
  const incomingDirectory = join(strata.dataDirectory, "models", ".incoming");
  mkdirSync(incomingDirectory, { recursive: true });
  const incomingPath = join(incomingDirectory, `${randomUUID()}.gguf`);
  await makeTestModel(incomingPath, { ...options, name: modelId });
  return registerGgufModel({
    dataDirectory: strata.dataDirectory,
    registry: strata.localModels,
    incomingPath,
    describedAs: "the test model",
    modelId,
    providerName: "Local",
    source: "created",
    sourceUri: "test fixture (test/support/make-test-model.ts)",
    importedModelId: newResourceId(),
  });
}
