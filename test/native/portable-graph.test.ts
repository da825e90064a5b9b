// The graph a GPU backend gets, checked on the CPU. On a non-CPU backend the trainer uses neither OpenBLAS nor
// its custom CPU ops: the backward's OUT_PRODs become MUL_MATs of transposes made by ggml's own ops, frozen
// F16 / Q8_0 weights are widened by ggml's CPY, and the backend's supports_op is asked for every node
// (native/trainer/transposed-products.h). `--device cpu-portable` runs exactly that graph on the CPU backend, so
// the GPU path's rewrites are tested here against the CPU path's parameters — on every machine, not only where a
// GPU is (scripts/cuda-smoke.sh covers the CUDA kernels themselves).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../support/make-test-model.js";
import { buildTrainer, readParameters, runTrainerCli, stepLosses } from "./trainer-cli.js";

let directory: string;
// 80 tokens: long enough that the CPU path's large products go to OpenBLAS (which the test command installs),
// so the two runs really take different kernels.
const tokens = Array.from({ length: 80 }, (_, i) => 1 + ((11 * i) % 300)).join(",");

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-portable-graph-"));
  for (const type of ["F32", "F16", "Q8_0"] as const)
    await makeTestModel(join(directory, `tiny-${type}.gguf`), { tensorType: type, seed: 3 });
});

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function train(type: string, mode: string, device: string) {
  const dump = join(directory, `${type}-${mode}-${device}`);
  rmSync(dump, { recursive: true, force: true });
  mkdirSync(dump);
  const model = join(directory, `tiny-${type}.gguf`);
  const result = await runTrainerCli([
    "train",
    model,
    "--mode",
    mode,
    "--tokens",
    tokens,
    "--steps",
    "2",
    "--lr",
    "1e-3",
    "--mask-from",
    "8",
    "--device",
    device,
    "--dump",
    dump,
  ]);
  expect(result.exitCode, result.stderr).toBe(0);
  const losses = stepLosses(result.stdout);
  return { losses, parameters: readParameters(dump) };
}

describe("the GPU's graph on the CPU (--device cpu-portable)", () => {
  it.each([
    ["F32", "full"],
    ["F32", "lora"],
    ["F16", "lora"],
    ["Q8_0", "lora"],
  ])("%s %s: two AdamW steps give the CPU path's losses and parameters", async (type, mode) => {
    const cpu = await train(type, mode, "cpu");
    const portable = await train(type, mode, "cpu-portable");
    expect(portable.losses).toHaveLength(2);
    portable.losses.forEach((loss, i) => {
      expect(Math.abs(loss - (cpu.losses[i] ?? Number.NaN)) / loss).toBeLessThan(1e-5);
    });
    expect(portable.parameters.size).toBe(cpu.parameters.size);
    let worst = 0;
    for (const [name, values] of cpu.parameters) {
      const other = portable.parameters.get(name);
      expect(other?.length, name).toBe(values.length);
      values.forEach((value, i) => {
        worst = Math.max(worst, Math.abs(value - (other?.[i] ?? Number.NaN)));
      });
    }
    console.log(`${type} ${mode}: portable vs CPU graph, max parameter difference ${worst.toExponential(2)}`);
    // AdamW moves every weight by about the learning rate (1e-3) per step, whatever the gradient's size: a wrong
    // transpose or a dropped gradient shows as differences of that order.
    expect(worst).toBeLessThan(1e-4);
  });

  it("refuses a device it does not know, by name", async () => {
    const result = await runTrainerCli([
      "train",
      join(directory, "tiny-F32.gguf"),
      "--tokens",
      tokens,
      "--steps",
      "1",
      "--device",
      "tpu",
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("--device must be cpu, gpu or cpu-portable, not 'tpu'");
  });
});
