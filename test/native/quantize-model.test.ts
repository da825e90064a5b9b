// The QuantizeModel handler (src/model-import/operations/quantize-model.ts) on a real registry and catalog,
// quantizing through the native addon: the result is registered as local.<name>, the source is refused when
// already that type, and unknown models, unsupported types, name clashes and non-admin callers are refused.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { LocalModelRegistry } from "../../src/catalog/local-model-registry.js";
import { readGgufHeader } from "../../src/model-files/gguf/read-gguf.js";
import {
  defaultQuantizedName,
  type QuantizeModelDependencies,
  quantizeModel,
} from "../../src/model-import/operations/quantize-model.js";
import { registerGgufModel } from "../../src/model-import/register-gguf-model.js";
import { newResourceId } from "../../src/model-import/resource-ids.js";
import type { RequestContext } from "../../src/protocol/dispatcher.js";
import type {
  QuantizeModelRequest,
  QuantizeModelResponse,
} from "../../src/protocol/generated/strata-types.js";
import { type OpenedDatabase, openDatabase } from "../../src/storage/database/open-database.js";
import { makeTestModel } from "../support/make-test-model.js";

const root = join(import.meta.dirname, "..", "..");
let dataDirectory: string;
let opened: OpenedDatabase;
let dependencies: QuantizeModelDependencies;
let handler: (context: RequestContext, input: QuantizeModelRequest) => Promise<QuantizeModelResponse>;

function context(isAdmin = true): RequestContext {
  return {
    requestId: "test",
    caller: { keyId: "AKIATEST", keyType: "ACCESS_KEY", isAdmin },
    operationName: "QuantizeModel",
    signal: new AbortController().signal,
  };
}

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-quantize-model-"));
  opened = await openDatabase(join(dataDirectory, "strata.db"));
  const registry = new LocalModelRegistry(opened.database);
  const catalog = new Catalog({
    region: "us-east-1",
    bedrockModels: [],
    localModels: registry,
    passThroughConfigured: false,
  });
  dependencies = { dataDirectory, registry, catalog, threads: 2 };
  handler = quantizeModel(dependencies) as unknown as typeof handler;
  const incoming = join(dataDirectory, "models", ".incoming");
  mkdirSync(incoming, { recursive: true });
  const path = join(incoming, "source.gguf");
  await makeTestModel(path, { tensorType: "F32", name: "tiny" });
  await registerGgufModel({
    dataDirectory,
    registry,
    incomingPath: path,
    describedAs: "the test model",
    modelId: "local.tiny",
    modelName: "tiny",
    providerName: "Local",
    source: "created",
    sourceUri: "test fixture",
    importedModelId: newResourceId(),
  });
}, 240_000);

afterAll(async () => {
  await opened?.close();
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
});

describe("QuantizeModel", () => {
  it("names the result after the source and the type by default", () => {
    expect(defaultQuantizedName("local.tiny", "q8_0")).toBe("tiny-q8-0");
    expect(defaultQuantizedName("strata.llama-small", "q4_k_m")).toBe("llama-small-q4-k-m");
  });

  it("quantizes local.tiny (F32) to q8_0 and registers local.tiny-q8-0, which node-llama-cpp serves", async () => {
    // The quantizer runs on libuv's thread pool: timers keep firing meanwhile.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const response = await handler(context(), { modelIdentifier: "local.tiny", quantizationType: "q8_0" });
    clearInterval(timer);
    console.log(
      `q8_0: ${response.sourceFileSizeBytes} → ${response.fileSizeBytes} bytes in ${response.totalSeconds?.toFixed(2)} s (${ticks} timer ticks meanwhile)`,
    );
    expect(response).toMatchObject({
      modelId: "local.tiny-q8-0",
      sourceModelId: "local.tiny",
      quantizationType: "q8_0",
    });
    expect(response.fileSizeBytes).toBeLessThan(response.sourceFileSizeBytes / 2);
    const model = await dependencies.registry.find("local.tiny-q8-0");
    expect(model).toMatchObject({ quantization: "Q8_0", source: "created", providerName: "Local" });
    expect(model?.importedModelId).toMatch(/^[a-z0-9]{12}$/);
    expect(model?.sourceUri).toContain("local.tiny");
    const file = join(dataDirectory, model?.filePath ?? "missing");
    expect(statSync(file).size).toBe(response.fileSizeBytes);
    const header = await readGgufHeader(file);
    if (!header.ok) throw new Error(header.reason);
    expect(header.header.tensors.find((tensor) => tensor.name === "blk.0.attn_q.weight")?.typeName).toBe(
      "Q8_0",
    );
    expect(readdirSync(join(dataDirectory, "models", ".incoming"))).toEqual([]);
    const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
    try {
      const loaded = await llama.loadModel({ modelPath: file });
      expect(loaded.tokenize("The Congress").length).toBeGreaterThan(0);
      await loaded.dispose();
    } finally {
      await llama.dispose();
    }
  });

  it("takes a name and q4_k_m, and accepts the imported-model ARN of the source", async () => {
    const source = await dependencies.registry.find("local.tiny");
    const response = await handler(context(), {
      modelIdentifier: `arn:aws:bedrock:us-east-1:000000000000:imported-model/${source?.importedModelId}`,
      quantizationType: "q4_k_m",
      modelName: "tiny-small",
    });
    expect(response.modelId).toBe("local.tiny-small");
    const model = await dependencies.registry.find("local.tiny-small");
    expect(model?.quantization).toBe("Q4_K_M");
  });

  it("refuses a source that is already of that type", async () => {
    await expect(
      handler(context(), { modelIdentifier: "local.tiny-q8-0", quantizationType: "q8_0" }),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("already Q8_0"),
    });
  });

  it("refuses an unknown model, an unsupported type, a taken name and a non-admin caller", async () => {
    await expect(
      handler(context(), { modelIdentifier: "local.nope", quantizationType: "q8_0" }),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      handler(context(), { modelIdentifier: "local.tiny", quantizationType: "q2_k" as "q8_0" }),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("q8_0, q4_k_m"),
    });
    await expect(
      handler(context(), { modelIdentifier: "local.tiny", quantizationType: "q8_0" }),
    ).rejects.toMatchObject({ name: "ConflictException" });
    await expect(
      handler(context(false), { modelIdentifier: "local.tiny", quantizationType: "q8_0", modelName: "x" }),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(await dependencies.registry.find("local.x")).toBeUndefined();
  });
});
