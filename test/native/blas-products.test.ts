// The trainer's large F32 products through the host's OpenBLAS (native/trainer/blas-products.h): used when the
// library is installed — the test command installs libopenblas0-pthread, so this fails rather than skips without
// it — and numerically the same step as ggml's own kernel (STRATA_TRAINER_BLAS=0), gradients included.
// The sequence is 80 tokens: products with a dimension under 32 stay ggml's, so the usual 30-token tests
// would not reach OpenBLAS.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../support/make-test-model.js";
import { buildTrainer, readParameters, runTrainerCli } from "./trainer-cli.js";

let directory: string;
let model: string;
const tokens = Array.from({ length: 80 }, (_, i) => 1 + ((7 * i) % 250)).join(",");
const withoutBlas = { ...process.env, STRATA_TRAINER_BLAS: "0" };

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-blas-products-"));
  model = join(directory, "tiny-F32.gguf");
  await makeTestModel(model, { tensorType: "F32" });
});

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function speedKernel(env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runTrainerCli(
    ["speed", model, "--tokens", tokens, "--warmup", "0", "--steps", "1"],
    env,
  );
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as { matmul_kernel: string })
    .matmul_kernel;
}

describe("OpenBLAS products in the trainer", () => {
  it("are used when the host has OpenBLAS, and not with STRATA_TRAINER_BLAS=0", async () => {
    expect(await speedKernel(process.env)).toMatch(/^OpenBLAS \d/);
    expect(await speedKernel(withoutBlas)).toMatch(/^ggml/);
  });

  it.each(["full", "lora"])("give ggml's parameters after two %s AdamW steps", async (mode) => {
    const dumps = { blas: join(directory, `${mode}-blas`), ggml: join(directory, `${mode}-ggml`) };
    for (const [kind, env] of [
      ["blas", process.env],
      ["ggml", withoutBlas],
    ] as const) {
      rmSync(dumps[kind], { recursive: true, force: true });
      mkdirSync(dumps[kind]);
      const args = ["train", model, "--mode", mode, "--tokens", tokens, "--steps", "2", "--lr", "1e-3"];
      const result = await runTrainerCli([...args, "--dump", dumps[kind]], env);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const blas = readParameters(dumps.blas);
    const ggml = readParameters(dumps.ggml);
    expect(blas.size).toBe(ggml.size);
    let worst = 0;
    let moved = 0;
    for (const [name, values] of ggml) {
      const other = blas.get(name);
      expect(other?.length, name).toBe(values.length);
      values.forEach((value, i) => {
        worst = Math.max(worst, Math.abs(value - (other?.[i] ?? Number.NaN)));
      });
      moved = Math.max(moved, ...values.map((value) => Math.abs(value)));
    }
    console.log(
      `${mode}: OpenBLAS vs ggml, max parameter difference ${worst.toExponential(2)} after 2 steps`,
    );
    expect(moved).toBeGreaterThan(0);
    // AdamW moves every weight by about the learning rate (1e-3) per step, whatever the gradient's size.
    expect(worst).toBeLessThan(1e-4);
  });

  it("give the gradients of finite differences (full fine-tuning, 80 tokens)", async () => {
    const result = await runTrainerCli([
      "gradcheck",
      model,
      "--tokens",
      tokens,
      "--samples",
      "0",
      "--mode",
      "full",
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const check = JSON.parse(result.stdout) as { max_directional_relative_error: number };
    console.log(
      `full, 80 tokens, OpenBLAS: max relative error ${check.max_directional_relative_error.toExponential(2)}`,
    );
    expect(check.max_directional_relative_error).toBeLessThan(1e-2);
  });
});
