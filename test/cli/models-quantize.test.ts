// `strata models quantize` against a real `strata serve` process (QuantizeModel through the native addon).
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../support/make-test-model.js";
import { freePort, runCli, spawnCli } from "../support/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
let dataDirectory: string;
let workDirectory: string;
let server: ChildProcess;
let common: string[];

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-models-quantize-"));
  workDirectory = mkdtempSync(join(tmpdir(), "strata-models-quantize-work-"));
  const port = await freePort();
  common = ["--data-dir", dataDirectory, "--port", String(port)];
  server = spawnCli(["serve", ...common, "--s3-port", String(await freePort())]);
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("credentials:")) resolve();
    });
  });
  const file = join(workDirectory, "tiny-f32.gguf");
  await makeTestModel(file, { tensorType: "F32" });
  const imported = await runCli(["models", "import", file, ...common, "--json"]);
  expect(imported.stderr).toBe("");
}, 240_000);

afterAll(() => {
  server?.kill("SIGTERM");
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
});

async function localModel(modelId: string) {
  const result = await runCli(["models", "get", modelId, ...common, "--json"]);
  expect(result.stderr).toBe("");
  return (JSON.parse(result.stdout) as { localModel: Record<string, unknown> }).localModel;
}

describe("strata models quantize", () => {
  it("quantizes to q8_0 as local.<model>-q8-0 by default", async () => {
    const result = await runCli([
      "models",
      "quantize",
      "local.tiny-f32",
      ...common,
      "--type",
      "q8_0",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    const response = JSON.parse(result.stdout) as Record<string, number | string>;
    expect(response).toMatchObject({
      modelId: "local.tiny-f32-q8-0",
      sourceModelId: "local.tiny-f32",
      quantizationType: "q8_0",
    });
    expect(Number(response.fileSizeBytes)).toBeLessThan(Number(response.sourceFileSizeBytes) / 2);
    expect(await localModel("local.tiny-f32-q8-0")).toMatchObject({
      quantization: "Q8_0",
      source: "created",
      trainerSupported: true,
    });
    expect(readdirSync(join(dataDirectory, "models", ".incoming"))).toEqual([]);
  });

  it("takes --name and Q4_K_M in any case, and prints one line without --json", async () => {
    const result = await runCli([
      "models",
      "quantize",
      "local.tiny-f32",
      ...common,
      "--type",
      "Q4_K_M",
      "--name",
      "tiny-4bit",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Created local\.tiny-4bit \(q4_k_m of local\.tiny-f32\): .+ MiB in .+ s/);
    expect(await localModel("local.tiny-4bit")).toMatchObject({ quantization: "Q4_K_M" });
  });

  it("refuses a source already of that type, an unknown model, a taken name and a bad --type", async () => {
    const again = await runCli(["models", "quantize", "local.tiny-f32-q8-0", ...common, "--type", "q8_0"]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^strata: ValidationException: local\.tiny-f32-q8-0 is already Q8_0/);
    const unknown = await runCli(["models", "quantize", "local.nope", ...common, "--type", "q8_0"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/^strata: ResourceNotFoundException: No local model local\.nope/);
    const taken = await runCli(["models", "quantize", "local.tiny-f32", ...common, "--type", "q8_0"]);
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toMatch(/^strata: ConflictException: A model with id local\.tiny-f32-q8-0/);
    const badType = await runCli(["models", "quantize", "local.tiny-f32", ...common, "--type", "q2_k"]);
    expect(badType.exitCode).toBe(2);
    expect(badType.stderr).toContain("--type must be one of q8_0, q4_k_m");
    const noType = await runCli(["models", "quantize", "local.tiny-f32", ...common]);
    expect(noType.exitCode).toBe(2);
    expect(noType.stderr).toContain("usage: strata models quantize MODEL --type q8_0|q4_k_m");
  });
});
