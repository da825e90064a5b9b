// `strata models create|import|remove` against a real `strata serve` process.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { makeTestModel } from "../support/make-test-model.js";
import { freePort, runCli, spawnCli } from "../support/run-cli.js";

let dataDirectory: string;
let workDirectory: string;
let server: ChildProcess;
let common: string[];
let s3Port: number;
let createdVocabularySize = 0;

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-models-cli-"));
  workDirectory = mkdtempSync(join(tmpdir(), "strata-models-work-"));
  const port = await freePort();
  s3Port = await freePort();
  common = ["--data-dir", dataDirectory, "--port", String(port)];
  server = spawnCli(["serve", ...common, "--s3-port", String(s3Port)]);
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("credentials:")) resolve();
    });
  });
});

afterAll(() => {
  server?.kill("SIGTERM");
  rmSync(dataDirectory, { recursive: true, force: true });
  rmSync(workDirectory, { recursive: true, force: true });
});

async function catalogEntry(modelId: string) {
  const result = await runCli(["models", "get", modelId, ...common, "--json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as {
    modelId: string;
    servedBy: string;
    localModel: Record<string, unknown>;
  };
}

describe("strata models create", () => {
  it("makes a model with a trained tokenizer and registers it", async () => {
    const created = await runCli([
      "models",
      "create",
      "tiny-cli",
      ...common,
      "--seed",
      "7",
      "--vocabulary-size",
      "600",
      "--embedding-length",
      "64",
      "--block-count",
      "2",
      "--head-count",
      "2",
      "--head-count-kv",
      "1",
      "--feed-forward-length",
      "128",
      "--max-corpus-bytes",
      "300000",
      "--json",
    ]);
    expect(created.stderr).toBe("");
    const response = JSON.parse(created.stdout) as {
      modelId: string;
      parameterCount: number;
      vocabularySize: number;
    };
    expect(response.modelId).toBe("local.tiny-cli");
    expect(response.vocabularySize).toBeGreaterThan(400);
    createdVocabularySize = response.vocabularySize;
    const entry = await catalogEntry("local.tiny-cli");
    expect(entry.servedBy).toBe("LOCAL_ENGINE");
    expect(entry.localModel).toMatchObject({
      source: "created",
      architecture: "llama",
      parameterCount: response.parameterCount,
      contextLength: 512,
      quantization: "Q8_0",
      trainerSupported: true,
      hasChatTemplate: true,
    });
  });

  it("can borrow the tokenizer of an existing model, and refuses bad dimensions with the reason", async () => {
    const borrowed = await runCli([
      "models",
      "create",
      "tiny-borrow",
      ...common,
      "--tokenizer-from",
      "local.tiny-cli",
      "--embedding-length",
      "64",
      "--block-count",
      "1",
      "--head-count",
      "2",
      "--head-count-kv",
      "1",
      "--feed-forward-length",
      "64",
      "--json",
    ]);
    expect(borrowed.stderr).toBe("");
    expect((JSON.parse(borrowed.stdout) as { vocabularySize: number }).vocabularySize).toBe(
      createdVocabularySize,
    );
    const bad = await runCli([
      "models",
      "create",
      "bad-dims",
      ...common,
      "--embedding-length",
      "100",
      "--head-count",
      "3",
    ]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(
      /^strata: ValidationException: The model dimensions are not usable: embeddingLength 100 is not divisible by headCount 3/,
    );
    const duplicate = await runCli(["models", "create", "tiny-cli", ...common]);
    expect(duplicate.stderr).toBe(
      "strata: ConflictException: A model with id local.tiny-cli already exists.\n",
    );
  });
});

describe("strata models import / remove", () => {
  it("uploads a local GGUF, imports it and lists it with its metadata", async () => {
    const file = join(workDirectory, "My_Model-v1.gguf");
    const model = await makeTestModel(file, { tensorType: "F16" });
    const imported = await runCli(["models", "import", file, ...common, "--json"]);
    expect(imported.stderr).toBe("");
    const result = JSON.parse(imported.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      modelId: "local.my-model-v1",
      architecture: "llama",
      parameterCount: model.parameterCount,
      quantization: "F16",
    });
    expect(String(result.importedModelArn)).toMatch(/:imported-model\/[a-z0-9]{12}$/);
    const listed = await runCli(["models", "list", ...common, "--provider", "Local"]);
    expect(listed.stdout).toContain("local.my-model-v1");
    expect(listed.stdout).toContain("local.tiny-cli");
  });

  it("fails a malformed file in one line, leaving nothing behind", async () => {
    const file = join(workDirectory, "broken.gguf");
    writeFileSync(file, readFileSync(join(workDirectory, "My_Model-v1.gguf")).subarray(0, 3000));
    const failed = await runCli(["models", "import", file, ...common]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(
      /^strata: s3:\/\/strata\/imports\/\d+-broken\.gguf is not a usable GGUF file: .+\n$/,
    );
    const credentials = readCredentialsFile(join(dataDirectory, "credentials"));
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${s3Port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials,
    });
    const uploads = await s3.send(new ListObjectsV2Command({ Bucket: "strata", Prefix: "imports/" }));
    s3.destroy();
    expect((uploads.Contents ?? []).map((object) => object.Key)).not.toContainEqual(
      expect.stringContaining("broken"),
    );
    const listed = await runCli(["models", "list", ...common, "--provider", "Local", "--json"]);
    expect((JSON.parse(listed.stdout) as { modelId: string }[]).map((model) => model.modelId).sort()).toEqual(
      ["local.my-model-v1", "local.tiny-borrow", "local.tiny-cli"],
    );
  });

  it("removes a model", async () => {
    expect((await runCli(["models", "remove", "local.my-model-v1", ...common])).stdout.trim()).toBe(
      "Removed local.my-model-v1.",
    );
    const missing = await runCli(["models", "get", "local.my-model-v1", ...common]);
    expect(missing.exitCode).toBe(1);
  });
});
