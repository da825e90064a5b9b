// Cancelling a running training child ends it promptly as "cancelled" and leaves a complete checkpoint; a
// checkpoint is resumed only by a run whose settings that matter are the same (checkpoint-compatibility.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitTexts, stateOfTheUnionTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { readCheckpoint } from "../../src/training/checkpoint-files.js";
import { loadNativeTrainer } from "../../src/training/native-trainer.js";
import { CheckpointMismatchError, runTraining } from "../../src/training/run-training.js";
import { startTrainingProcess } from "../../src/training/start-training-process.js";
import type { TrainingConfigInput, TrainingData } from "../../src/training/training-config.js";
import { makeTestModel } from "../support/make-test-model.js";

const root = join(import.meta.dirname, "..", "..");
let directory: string;
let modelPath: string;
let otherModelPath: string;

const texts =
  [...limitTexts(stateOfTheUnionTexts({ before: 1900 }), 40_000)].join("\n").match(/[^.]+\./g) ?? [];
const training: TrainingData = { kind: "text", documents: texts.slice(0, 120) };

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  directory = mkdtempSync(join(tmpdir(), "strata-training-cancel-"));
  modelPath = join(directory, "tiny.gguf");
  otherModelPath = join(directory, "other.gguf");
  await makeTestModel(modelPath, { tensorType: "F32", contextLength: 64 });
  await makeTestModel(otherModelPath, { tensorType: "F32", contextLength: 64, seed: 2 });
}, 240_000);

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function config(name: string): TrainingConfigInput {
  return {
    modelPath,
    checkpointDirectory: join(directory, name),
    training,
    mode: "lora",
    loraRank: 4,
    loraTargets: ["q", "v", "down"],
    steps: 100_000,
    rowsPerStep: 2,
    sequenceLength: 64,
    learningRate: 5e-3,
    checkpointEvery: 5,
    seed: 7,
  };
}

describe("cancelling a training run", () => {
  it("ends promptly as cancelled, with the last checkpoint complete and loadable", async () => {
    let lastStep = 0;
    let lastCheckpoint = 0;
    let cancelledAt: number | undefined;
    const run = startTrainingProcess(config("cancelled"), (event) => {
      if (event.type === "checkpoint") lastCheckpoint = event.step;
      if (event.type !== "step") return;
      lastStep = event.step;
      if (event.step >= 12 && cancelledAt === undefined) {
        cancelledAt = performance.now();
        run.cancel();
      }
    });
    const outcome = await run.outcome;
    const stopSeconds = (performance.now() - (cancelledAt ?? Number.NaN)) / 1000;
    console.log(
      `cancelled after step 12: ended ${stopSeconds.toFixed(3)} s later at step ${lastStep}, last checkpoint step ${lastCheckpoint}`,
    );
    expect(outcome).toMatchObject({ type: "finished", status: "cancelled", step: lastStep });
    expect(run.child.exitCode).toBe(0);
    expect(stopSeconds).toBeLessThan(5);
    expect(lastCheckpoint).toBeGreaterThanOrEqual(10);

    // The checkpoint on disk is the last one reported, whole: its state file loads into a fresh trainer.
    const checkpoint = await readCheckpoint(join(directory, "cancelled"));
    if (checkpoint.kind !== "found") throw new Error(`no checkpoint: ${JSON.stringify(checkpoint)}`);
    expect(checkpoint.manifest.step).toBe(lastCheckpoint);
    expect(readdirSync(join(directory, "cancelled")).sort()).toEqual([
      "checkpoint.json",
      `state-${lastCheckpoint}.bin`,
    ]);
    const trainer = await loadNativeTrainer().openTrainer({
      modelPath,
      mode: "lora",
      loraRank: 4,
      loraTargets: ["q", "v", "down"],
      maxTokens: 64,
      seed: 7,
    });
    try {
      await expect(trainer.loadCheckpoint(checkpoint.statePath)).resolves.toBe(lastCheckpoint);
    } finally {
      trainer.dispose();
    }

    // And the run resumes from it.
    let resumedFrom: number | undefined;
    const resumed = await runTraining(
      { ...config("cancelled"), steps: lastCheckpoint + 2 },
      { onStart: (facts) => (resumedFrom = facts.resumedFromStep) },
    );
    expect(resumedFrom).toBe(lastCheckpoint);
    expect(resumed).toMatchObject({ status: "completed", step: lastCheckpoint + 2 });
  }, 60_000);
});

describe("resuming a checkpoint", () => {
  it("refuses a run whose settings that matter differ, naming each", async () => {
    const first = { ...config("mismatch"), steps: 2, checkpointEvery: 2 };
    await expect(runTraining(first)).resolves.toMatchObject({ status: "completed", step: 2 });

    const changed: TrainingConfigInput = {
      ...first,
      steps: 4,
      modelPath: otherModelPath,
      training: { kind: "text", documents: texts.slice(0, 119) },
      loraRank: 8,
      loraTargets: "all",
      learningRate: 1e-3,
      seed: 8,
    };
    const refusal = await runTraining(changed).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(CheckpointMismatchError);
    const { message, fields } = refusal as CheckpointMismatchError;
    console.log(message);
    expect(fields).toEqual(["modelPath", "training", "loraRank", "loraTargets", "learningRate", "seed"]);
    expect(message).toMatch(/cannot resume the checkpoint at step 2 in .*mismatch/);
    expect(message).toMatch(/training \(not the data the checkpoint was trained on\)/);
    expect(message).toContain("loraRank (checkpoint 4, this run 8)");
    expect(message).toContain(
      'loraTargets (checkpoint ["q","v","down"], this run ["q","k","v","o","gate","up","down"])',
    );
    expect(message).toContain("learningRate (checkpoint 0.005, this run 0.001)");
    expect(message).toContain("seed (checkpoint 7, this run 8)");

    // The mode alone, through the child process: the refusal reaches the parent as a failure.
    const modeChange = startTrainingProcess({ ...first, steps: 4, mode: "full" });
    await expect(modeChange.outcome).resolves.toMatchObject({
      type: "failed",
      refused: false,
      error: expect.stringContaining('differs in mode (checkpoint "lora", this run "full")'),
    });

    // Settings that do not matter may change: more steps, another cadence, other threads.
    const extended = await runTraining({
      ...first,
      steps: 4,
      checkpointEvery: 1,
      validationEvery: 3,
      threads: 2,
    });
    expect(extended).toMatchObject({ status: "completed", step: 4 });
  }, 60_000);
});
