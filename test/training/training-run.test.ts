// Training runs end to end in the child process: a run killed with SIGKILL and resumed follows the same loss
// curve as an uninterrupted one; continued pre-training lowers held-out perplexity; an oversized run is refused.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitTexts, stateOfTheUnionTexts } from "../../src/model-files/tokenizer/corpus-texts.js";
import { loadTokenizerModel, prepareRows } from "../../src/training/data/prepare-training-data.js";
import { loadNativeTrainer } from "../../src/training/native-trainer.js";
import { runTraining, validationLoss } from "../../src/training/run-training.js";
import { startTrainingProcess } from "../../src/training/start-training-process.js";
import type { TrainingConfigInput, TrainingData } from "../../src/training/training-config.js";
import { makeTestModel } from "../support/make-test-model.js";

const root = join(import.meta.dirname, "..", "..");
let directory: string;
let modelPath: string;

const texts =
  [...limitTexts(stateOfTheUnionTexts({ before: 1900 }), 40_000)].join("\n").match(/[^.]+\./g) ?? [];
const training: TrainingData = { kind: "text", documents: texts.slice(0, 120) };
const heldOut: TrainingData = { kind: "text", documents: texts.slice(120, 160) };

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  directory = mkdtempSync(join(tmpdir(), "strata-training-run-"));
  modelPath = join(directory, "tiny.gguf");
  await makeTestModel(modelPath, { tensorType: "F32" });
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
    steps: 10,
    rowsPerStep: 2,
    sequenceLength: 64,
    learningRate: 5e-3,
    warmupSteps: 2,
    checkpointEvery: 3,
    seed: 7,
  };
}

async function runToEnd(input: TrainingConfigInput, killAfterStep?: number): Promise<Map<number, number>> {
  const losses = new Map<number, number>();
  const run = startTrainingProcess(input, (event) => {
    if (event.type !== "step") return;
    losses.set(event.step, event.loss);
    if (event.step === killAfterStep) run.child.kill("SIGKILL");
  });
  const outcome = await run.outcome;
  if (killAfterStep === undefined)
    expect(outcome).toMatchObject({ type: "finished", status: "completed", step: 10 });
  else expect(outcome).toMatchObject({ type: "exited", signal: "SIGKILL" });
  return losses;
}

describe("training runs", () => {
  it("a run killed with SIGKILL and resumed gives the uninterrupted run's loss curve", async () => {
    const uninterrupted = await runToEnd(config("straight"));
    const killed = await runToEnd(config("killed"), 5); // last checkpoint: step 3
    const resumed = await runToEnd(config("killed"));
    expect([...resumed.keys()]).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const curve = new Map([...killed].filter(([step]) => step <= 3).concat([...resumed]));
    let worst = 0;
    for (let step = 1; step <= 10; step++)
      worst = Math.max(
        worst,
        Math.abs((curve.get(step) ?? Number.NaN) - (uninterrupted.get(step) ?? Number.NaN)),
      );
    console.log(
      `uninterrupted ${[...uninterrupted.values()].map((l) => l.toFixed(5)).join(" ")}\n` +
        `killed at 5, resumed from 3: max |Δloss| = ${worst}`,
    );
    expect(worst).toBeLessThanOrEqual(1e-5);
  }, 60_000);

  it("continued pre-training lowers held-out perplexity", async () => {
    const input: TrainingConfigInput = {
      ...config("pretrain"),
      mode: "full",
      steps: 30,
      learningRate: 2e-3,
      validation: heldOut,
      validationEvery: 30,
      checkpointEvery: 30,
    };
    const tokenizer = await loadTokenizerModel(modelPath);
    const rows = prepareRows(tokenizer, heldOut, 64);
    await tokenizer.dispose();
    const base = await loadNativeTrainer().openTrainer({ modelPath, mode: "full", maxTokens: 64 });
    const before = Math.exp(await validationLoss(base, rows));
    base.dispose();
    const validations: number[] = [];
    const outcome = await runTraining(input, { onValidation: (v) => validations.push(v.perplexity) });
    expect(outcome).toMatchObject({ status: "completed", step: 30 });
    const after = validations.at(-1) ?? Number.NaN;
    console.log(`held-out perplexity ${before.toFixed(1)} → ${after.toFixed(1)} after 30 full steps`);
    expect(after).toBeLessThan(before * 0.8);
  }, 60_000);

  it("refuses a run that would not fit, with the numbers", async () => {
    const run = startTrainingProcess({ ...config("refused"), memoryLimitBytes: 1024 });
    await expect(run.outcome).resolves.toMatchObject({
      type: "failed",
      refused: true,
      error: expect.stringMatching(/needs about base .* MiB .*only 0\.0 MiB are available/),
    });
  }, 30_000);
});
