// The N-API addon over the trainer core (native/addon/): the same numbers as the standalone CLI, training
// that lowers the loss, an event loop that keeps running during a step, dispose(), and the core's errors.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadNativeTrainer,
  type NativeTrainer,
  type NativeTrainerModule,
  nativeTrainerPath,
  type StepProgress,
  type TrainingBatch,
} from "../../src/training/native-trainer.js";
import { makeTestModel } from "../support/make-test-model.js";
import { buildTrainer, runTrainerCli, stepLosses } from "./trainer-cli.js";

const root = join(import.meta.dirname, "..", "..");
let directory: string;
let f32Model: string;
let q8Model: string;
let addon: NativeTrainerModule;
const open: NativeTrainer[] = [];

// 30 tokens → 29 predictions, as in trainer-training.test.ts.
const sequence = Array.from({ length: 30 }, (_, i) => 1 + 3 * i);
const batch: TrainingBatch = { tokens: sequence.slice(0, -1), targets: sequence.slice(1) };

beforeAll(async () => {
  buildTrainer();
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  addon = loadNativeTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-trainer-addon-"));
  f32Model = join(directory, "tiny-F32.gguf");
  q8Model = join(directory, "tiny-Q8_0.gguf");
  await makeTestModel(f32Model, { tensorType: "F32" });
  await makeTestModel(q8Model, { tensorType: "Q8_0" });
}, 240_000);

afterAll(() => {
  for (const trainer of open) trainer.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function openTrainer(
  options: Parameters<NativeTrainerModule["openTrainer"]>[0],
): Promise<NativeTrainer> {
  const trainer = await addon.openTrainer(options);
  open.push(trainer);
  return trainer;
}

describe("native trainer addon", () => {
  it("loads from native/build and reports the core's defaults", () => {
    expect(nativeTrainerPath).toMatch(/native\/build\/strata-trainer\.node$/);
    expect(loadNativeTrainer()).toBe(addon);
    expect(addon.defaultOptions()).toMatchObject({
      mode: "lora",
      loraRank: 8,
      loraAlpha: 16,
      adamBeta1: 0.9,
    });
  });

  for (const [label, model] of [
    ["F32", () => f32Model],
    ["Q8_0", () => q8Model],
  ] as const) {
    it(`forward logits equal the CLI's on a ${label} model`, async () => {
      const tokens = [1, 15, 27, 300, 42, 7, 511, 64, 2];
      const trainer = await openTrainer({ modelPath: model(), maxTokens: tokens.length });
      const logits = await trainer.forwardLogits(Int32Array.from(tokens));
      expect(logits).toBeInstanceOf(Float32Array);
      expect(logits.length).toBe(tokens.length * trainer.vocabularySize);

      const path = join(directory, `logits-${label}.f32`);
      const result = await runTrainerCli(["logits", model(), path, ...tokens.map(String)]);
      expect(result.exitCode).toBe(0);
      const bytes = readFileSync(path);
      const cli = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      expect(cli.length).toBe(logits.length);
      let worst = 0;
      logits.forEach((value, i) => {
        worst = Math.max(worst, Math.abs(value - (cli[i] ?? Number.NaN)));
      });
      console.log(`${label}: addon vs CLI logits, max absolute difference ${worst}`);
      expect(worst).toBeLessThanOrEqual(1e-6);
    });
  }

  it("LoRA steps on a Q8_0 base lower the loss, with the CLI's numbers", async () => {
    const steps = 10;
    const trainer = await openTrainer({ modelPath: q8Model, maxTokens: 29, maxGradNorm: 1 });
    expect(trainer.trainableParameters).toBeGreaterThan(0);
    const before = await trainer.loss(batch);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) {
      const result = await trainer.step([batch], { learningRate: 1e-2 });
      expect(result.step).toBe(i + 1);
      expect(result.trainedTokens).toBe(29);
      expect(Number.isFinite(result.gradientNorm)).toBe(true);
      losses.push(result.loss);
    }
    const after = await trainer.loss(batch);
    console.log(`addon LoRA r8 on Q8_0: loss ${before.toFixed(3)} → ${after.toFixed(3)} in ${steps} steps`);
    expect(losses[0]).toBeCloseTo(before, 5);
    expect(after).toBeLessThan(before - 0.3);

    const cli = await runTrainerCli([
      "train",
      q8Model,
      "--mode",
      "lora",
      "--tokens",
      sequence.join(","),
      "--steps",
      String(steps),
      "--lr",
      "1e-2",
      "--clip",
      "1",
    ]);
    expect(cli.exitCode).toBe(0);
    const cliLosses = stepLosses(cli.stdout);
    expect(cliLosses).toHaveLength(steps);
    cliLosses.forEach((loss, i) => {
      expect(Math.abs(loss - (losses[i] ?? Number.NaN))).toBeLessThan(1e-6 * Math.max(1, loss));
    });
  });

  it("keeps the event loop running during a step and reports progress per micro-batch", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 256 });
    // Enough work to take a while: 24 micro-batches of 256 tokens.
    const length = 256;
    const tokens = Array.from({ length: length + 1 }, (_, i) => (7 * i + 3) % trainer.vocabularySize);
    const micro: TrainingBatch = { tokens: tokens.slice(0, -1), targets: tokens.slice(1) };
    const batches = Array.from({ length: 24 }, () => micro);

    let ticks = 0;
    const ticksAtProgress: number[] = [];
    const progress: StepProgress[] = [];
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    let settled = false;
    const pending = trainer
      .step(batches, {
        learningRate: 1e-3,
        onProgress: (event) => {
          progress.push(event);
          ticksAtProgress.push(ticks);
        },
      })
      .finally(() => {
        settled = true;
      });
    expect(settled).toBe(false);
    const result = await pending;
    const elapsed = performance.now() - started;
    clearInterval(timer);
    console.log(`a step of 24 × 256 tokens took ${elapsed.toFixed(0)} ms; the timer ticked ${ticks} times`);

    expect(result.trainedTokens).toBe(24 * length);
    expect(progress.map((event) => event.batchIndex)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(progress.every((event) => event.batchCount === 24 && event.trainedTokens === length)).toBe(true);
    expect(progress.every((event) => Number.isFinite(event.loss))).toBe(true);
    // The timer ran while the step was computing, not only before or after it.
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect((ticksAtProgress.at(-1) ?? 0) - (ticksAtProgress[0] ?? 0)).toBeGreaterThan(0);
  });

  it("a throwing onProgress rejects the step with its error; the update itself was applied", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 29 });
    const failure = new Error("progress listener failed");
    await expect(
      trainer.step([batch, batch], {
        learningRate: 1e-3,
        onProgress: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    await expect(trainer.step([batch], { learningRate: 1e-3 })).resolves.toMatchObject({ step: 2 });
  });

  it("runs one call at a time: a second call while one is in flight rejects", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 29 });
    const first = trainer.step([batch], { learningRate: 1e-3 });
    await expect(trainer.forwardLogits([1, 2, 3])).rejects.toMatchObject({
      code: "STRATA_TRAINER_BUSY",
      message: expect.stringContaining("busy with step()"),
    });
    await expect(first).resolves.toMatchObject({ step: 1 });
    await expect(trainer.forwardLogits([1, 2, 3])).resolves.toHaveLength(3 * trainer.vocabularySize);
  });

  it("dispose() is idempotent and later calls reject clearly", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 29 });
    trainer.dispose();
    trainer.dispose();
    expect(trainer.disposed).toBe(true);
    await expect(trainer.forwardLogits([1, 2, 3])).rejects.toMatchObject({
      code: "STRATA_TRAINER_DISPOSED",
      message: expect.stringMatching(/forwardLogits\(\): the trainer is disposed/),
    });
    await expect(trainer.step([batch], { learningRate: 1e-3 })).rejects.toThrow(
      /step\(\): the trainer is disposed/,
    );
    await expect(trainer.loss(batch)).rejects.toThrow(/disposed/);
  });

  it("dispose() during a step lets the step finish, then frees the trainer", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 29 });
    const pending = trainer.step([batch, batch, batch], { learningRate: 1e-3 });
    trainer.dispose();
    await expect(pending).resolves.toMatchObject({ step: 1, trainedTokens: 3 * 29 });
    await expect(trainer.loss(batch)).rejects.toThrow(/disposed/);
  });

  it("cannot be constructed except through openTrainer()", async () => {
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 8 });
    const Trainer = trainer.constructor as new () => unknown;
    expect(() => new Trainer()).toThrow(/openTrainer\(options\)/);
  });
});

describe("native trainer addon errors", () => {
  it("full fine-tuning of a Q8_0 base rejects with the core's message", async () => {
    await expect(addon.openTrainer({ modelPath: q8Model, mode: "full" })).rejects.toMatchObject({
      code: "STRATA_TRAINER_UNSUPPORTED_MODEL",
      status: 2,
      message: expect.stringMatching(
        /^full fine-tuning needs an F32 model, but tensor '.*' is q8_0; use LoRA, or convert the base to F32$/,
      ),
    });
  });

  it("device gpu on node-llama-cpp's CPU-only ggml is refused at open, naming what to do", async () => {
    await expect(addon.openTrainer({ modelPath: f32Model, device: "gpu" })).rejects.toMatchObject({
      code: "STRATA_TRAINER_BACKEND_ERROR",
      message: expect.stringContaining("no GPU backend in this ggml build"),
    });
    await expect(addon.openTrainer({ modelPath: f32Model, device: "tpu" as "gpu" })).rejects.toThrow(
      new TypeError('options.device must be "cpu" or "gpu", not "tpu"'),
    );
  });

  it("LoRA targets: an empty set is the core's error, an unknown name the addon's", async () => {
    await expect(addon.openTrainer({ modelPath: f32Model, loraTargets: [] })).rejects.toMatchObject({
      code: "STRATA_TRAINER_INVALID_ARGUMENT",
      message: "lora_targets must be a non-empty set of q, k, v, o, gate, up, down",
    });
    await expect(
      addon.openTrainer({ modelPath: f32Model, loraTargets: ["q", "nope" as "q"] }),
    ).rejects.toThrow(new TypeError("unknown LoRA target 'nope' (use q, k, v, o, gate, up, down)"));
  });

  it("a missing model, a misspelt option and out-of-range input reject clearly", async () => {
    await expect(addon.openTrainer({ modelPath: join(directory, "missing.gguf") })).rejects.toMatchObject({
      code: "STRATA_TRAINER_IO_ERROR",
      message: expect.stringContaining("missing.gguf"),
    });
    await expect(
      addon.openTrainer({ modelPath: f32Model, lora_rank: 4 } as unknown as { modelPath: string }),
    ).rejects.toThrow(/unknown option 'lora_rank'/);
    const trainer = await openTrainer({ modelPath: f32Model, maxTokens: 4 });
    await expect(trainer.forwardLogits([1, 2, 1_000_000])).rejects.toMatchObject({
      code: "STRATA_TRAINER_INVALID_ARGUMENT",
      message: expect.stringContaining("is outside the vocabulary"),
    });
    await expect(trainer.forwardLogits([1, 2, 3, 4, 5])).rejects.toThrow(/more tokens than max_tokens/);
    await expect(
      trainer.step([{ tokens: [1, 2], targets: [2, 3], lossMask: [0, 0] }], { learningRate: 1e-3 }),
    ).rejects.toThrow(/no trained positions/);
    await expect(trainer.step([{ tokens: [1, 2], targets: [2] }], { learningRate: 1e-3 })).rejects.toThrow(
      /targets must have as many entries as tokens/,
    );
    // After failures the trainer still works.
    await expect(trainer.forwardLogits([1, 2])).resolves.toHaveLength(2 * trainer.vocabularySize);
  });
});
