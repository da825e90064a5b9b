// The trainer's first two AdamW steps against a small PyTorch reference (scripts/reference/llama_reference.py):
// the same GGUF, tokens, loss mask, micro-batches, clipping and hyperparameters; every trained tensor compared
// after 1 and after 2 steps, attn_k and attn_v included. Needs Debian's /usr/bin/python3 with python3-torch
// and python3-numpy (scripts/test.sh installs them); without them this test fails, it does not skip.
//
// Metric per tensor: ‖w_trainer − w_torch‖ / ‖w_torch − w_initial‖, i.e. the error of the update relative to
// the update. The reference computes in float64. Measured on the tiny test model (2 cores, zen4 ggml CPU
// backend), worst tensor over steps 1 and 2: full 6.6e-6 / 6.5e-6 (no mask / masked), LoRA 4.3e-6 / 4.0e-5,
// against a 1e-3 tolerance. Also measured: detaching K/V in the reference gives an infinite error on attn_k
// (the trainer moves it, the reference does not); training one masked position more gives 0.79.
//
// AdamW's ε is 1e-4 here, not the default 1e-8. In the first steps Adam is close to sign descent: an entry
// whose gradient happens to be within ~ε of zero gets its float32 rounding (≈1e-9 here) divided by ≈ε. With
// ε = 1e-8 one such entry moved a whole LoRA tensor by up to 0.15 relative (as much for PyTorch float32 vs
// float64 as for the trainer), and LoRA A's step-2 gradient, proportional to B, carries it on. With ε = 1e-4
// (below most gradients, so the updates stay normalised) those entries are well conditioned, and where ε sits
// in the formula becomes observable.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestModel } from "../support/make-test-model.js";
import { buildTrainer, runTrainerCli } from "./trainer-cli.js";

const python = "/usr/bin/python3";
const referenceScript = join(import.meta.dirname, "..", "..", "scripts", "reference", "llama_reference.py");
const threads = "2";
const pythonEnvironment = { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads };
const tolerance = 1e-3;

let directory: string;
const models: Record<"tied" | "untied" | "qwen2", string> = { tied: "", untied: "", qwen2: "" };
// 30 tokens → 29 predictions; two packed documents of 14 and 15 predictions.
const tokens = Array.from({ length: 30 }, (_, i) => 1 + 3 * i).join(",");
const documents = [...Array(14).fill(0), ...Array(15).fill(1)].join(",");

/** Why the reference cannot run here, or undefined. Every test fails with it: a missing reference is a failure. */
function pytorchProblem(): string | undefined {
  const install =
    "install them with: apt-get install -y python3-torch python3-numpy libopenblas0-pthread (scripts/test.sh does)";
  if (!existsSync(python))
    return `${python} is missing: the PyTorch reference needs Debian's Python; ${install}`;
  try {
    execFileSync(python, ["-c", "import numpy, torch"], { stdio: "pipe", env: pythonEnvironment });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    return `${python} cannot import torch and numpy (${stderr.split("\n").at(-1)}); ${install}`;
  }
}

let missingReference: string | undefined;

beforeAll(async () => {
  missingReference = pytorchProblem();
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-pytorch-reference-"));
  // The tiny test model (test/support/make-test-model.ts), once with the output tied to token_embd and once
  // with its own output.weight.
  for (const tying of ["tied", "untied", "qwen2"] as const) {
    models[tying] = join(directory, `tiny-${tying}-F32.gguf`);
    // qwen2: tied, with q/k/v biases and NEOX-style RoPE (the reference reads both from the GGUF).
    await makeTestModel(models[tying], {
      name: `strata-test-tiny-${tying}`,
      tensorType: "F32",
      ...(tying === "qwen2" ? { architecture: "qwen2" as const } : {}),
      dimensions: { tiedEmbeddings: tying !== "untied" },
    });
  }
});

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

type Tensors = Map<string, Float32Array>;

function readDump(dumpDirectory: string): Tensors {
  const index = JSON.parse(readFileSync(join(dumpDirectory, "parameters.json"), "utf8")) as Record<
    string,
    number
  >;
  const tensors: Tensors = new Map();
  for (const [name, count] of Object.entries(index)) {
    const bytes = readFileSync(join(dumpDirectory, `${name}.f32`));
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(values.length, name).toBe(count);
    tensors.set(name, values);
  }
  return tensors;
}

interface StepLine {
  step: number;
  loss: number;
  grad_norm: number;
  n_trained: number;
}

function stepLines(stdout: string): StepLine[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as StepLine);
}

async function runReference(args: string[]): Promise<StepLine[]> {
  try {
    const { stdout } = await promisify(execFile)(python, [referenceScript, ...args], {
      env: pythonEnvironment,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stepLines(stdout);
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`the PyTorch reference failed: ${failure.stderr || failure.message}`);
  }
}

function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] ?? 0) - (b[i] ?? Number.NaN)) ** 2;
  return Math.sqrt(sum);
}

/** ‖trainer − reference‖ / ‖reference − initial‖ for one tensor (0 when neither moved). */
function updateError(trainer: Float32Array, reference: Float32Array, initial: Float32Array): number {
  expect(trainer.length).toBe(reference.length);
  const difference = distance(trainer, reference);
  const update = distance(reference, initial);
  if (update === 0) return difference === 0 ? 0 : Number.POSITIVE_INFINITY;
  return difference / update;
}

interface Case {
  name: string;
  model: keyof typeof models;
  args: string[];
  /** The reference must see clipping happen (grad_norm above --clip) where the case clips. */
  clip?: number;
  expectedTensors: number;
  /** Trained tensors whose name holds attn_k (and as many attn_v): 2 per block for LoRA (A, B), 1 for full. */
  projectionTensors?: number;
}

// Hyperparameters shared by trainer and reference. --lr 1e-2 so that LoRA B moves enough for A's step-2
// gradient to be well above float noise.
const common = ["--tokens", tokens, "--lr", "1e-2", "--adam-eps", "1e-4"];

const cases: Case[] = [
  {
    name: "full fine-tuning, no loss mask (tied output, weight decay)",
    model: "tied",
    args: ["--mode", "full", "--weight-decay", "0.1"],
    expectedTensors: 2 + 9 * 2, // token_embd + output_norm + 9 per block
  },
  {
    name: "full fine-tuning, loss mask (untied output, 2 micro-batches, clipping)",
    model: "untied",
    args: ["--mode", "full", "--mask-from", "10", "--accumulate", "2", "--clip", "1"],
    clip: 1,
    expectedTensors: 3 + 9 * 2, // + output.weight
  },
  {
    name: "LoRA, no loss mask (two packed documents)",
    model: "tied",
    args: ["--mode", "lora", "--docs", documents],
    expectedTensors: 7 * 2 * 2, // A and B for q, k, v, o, gate, up, down in 2 blocks
  },
  {
    name: "LoRA, loss mask (untied output, 2 micro-batches, clipping, weight decay)",
    model: "untied",
    args: [
      "--mode",
      "lora",
      "--mask-from",
      "10",
      "--accumulate",
      "2",
      "--clip",
      "0.5",
      "--weight-decay",
      "0.1",
    ],
    clip: 0.5,
    expectedTensors: 7 * 2 * 2,
  },
  {
    name: "qwen2, full fine-tuning, loss mask (q/k/v biases trained)",
    model: "qwen2",
    args: ["--mode", "full", "--mask-from", "10"],
    expectedTensors: 2 + 12 * 2, // + attn_q/k/v.bias per block
    projectionTensors: 4, // attn_k.weight and attn_k.bias in 2 blocks
  },
  {
    name: "qwen2, LoRA, loss mask (two packed documents, biases frozen)",
    model: "qwen2",
    args: ["--mode", "lora", "--mask-from", "5", "--docs", documents],
    expectedTensors: 7 * 2 * 2,
  },
];

describe("trainer vs PyTorch reference: one and two AdamW steps", () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      if (missingReference) throw new Error(missingReference);
      const work = join(directory, testCase.name.replace(/[^a-z0-9]+/gi, "-"));
      const initial = join(work, "trainer-initial");
      const trainerDumps = [join(work, "trainer-1"), join(work, "trainer-2")];
      const referenceDumps = join(work, "reference");
      for (const folder of [initial, ...trainerDumps]) mkdirSync(folder, { recursive: true });
      const model = models[testCase.model];
      const args = [...common, ...testCase.args];

      const trainerLines: StepLine[][] = [];
      for (const [index, steps] of ["1", "2"].entries()) {
        const extra = index === 0 ? ["--dump-initial", initial] : [];
        const result = await runTrainerCli([
          "train",
          model,
          ...args,
          "--threads",
          threads,
          "--steps",
          steps,
          "--dump",
          trainerDumps[index] as string,
          ...extra,
        ]);
        expect(result.stderr).not.toContain("strata-trainer:");
        expect(result.exitCode).toBe(0);
        trainerLines.push(stepLines(result.stdout));
      }
      const referenceLines = await runReference([
        model,
        ...args,
        "--steps",
        "2",
        "--initial",
        initial,
        "--dump",
        referenceDumps,
        "--threads",
        threads,
      ]);

      // Losses and gradient norms before each update, from both trainer runs.
      expect(referenceLines).toHaveLength(2);
      for (const lines of trainerLines)
        lines.forEach((line, i) => {
          const reference = referenceLines[i] as StepLine;
          expect(line.n_trained).toBe(reference.n_trained);
          expect(Math.abs(line.loss - reference.loss) / reference.loss).toBeLessThan(1e-5);
          expect(Math.abs(line.grad_norm - reference.grad_norm) / reference.grad_norm).toBeLessThan(1e-4);
        });
      if (testCase.clip !== undefined)
        for (const line of referenceLines) expect(line.grad_norm).toBeGreaterThan(testCase.clip);

      // The starting point: the reference read the GGUF (full) or the trainer's LoRA A/B (LoRA) itself.
      const start = readDump(join(referenceDumps, "step-0"));
      const trainerStart = readDump(initial);
      expect([...trainerStart.keys()].sort()).toEqual([...start.keys()].sort());
      for (const [name, values] of trainerStart)
        expect(distance(values, start.get(name) as Float32Array), `${name} at the start`).toBe(0);
      expect(start.size).toBe(testCase.expectedTensors);
      for (const projection of ["attn_k", "attn_v"])
        expect([...start.keys()].filter((name) => name.includes(projection))).toHaveLength(
          testCase.projectionTensors ?? (testCase.args.includes("lora") ? 4 : 2),
        );

      const summary: string[] = [];
      for (const step of [1, 2]) {
        const trainer = readDump(trainerDumps[step - 1] as string);
        const reference = readDump(join(referenceDumps, `step-${step}`));
        expect([...trainer.keys()].sort()).toEqual([...reference.keys()].sort());
        let worst = { error: 0, name: "" };
        for (const [name, values] of reference) {
          const error = updateError(
            trainer.get(name) as Float32Array,
            values,
            start.get(name) as Float32Array,
          );
          expect(error, `${name} after ${step} step(s)`).toBeLessThan(tolerance);
          if (error >= worst.error) worst = { error, name };
        }
        // After two steps every tensor has moved (LoRA A only starts to in step 2): a cut K/V path, say, would
        // leave attn_k/attn_v unchanged and fail the comparison above rather than pass it vacuously.
        if (step === 2)
          for (const [name, values] of reference)
            expect(distance(values, start.get(name) as Float32Array), `${name} moved`).toBeGreaterThan(0);
        summary.push(`step ${step}: max ${worst.error.toExponential(1)} (${worst.name})`);
      }
      console.log(`${testCase.name}: ${summary.join(", ")}`);
    });
  }
});
