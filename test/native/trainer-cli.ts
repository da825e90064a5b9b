// Builds the native trainer (native/trainer/build.sh, a no-op when up to date) and runs its standalone CLI.
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Llama, Token } from "node-llama-cpp";

const root = join(import.meta.dirname, "..", "..");
const trainerCli = join(root, "native", "trainer", "build", "strata-trainer-cli");

export function buildTrainer(): string {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh")], { stdio: "pipe", timeout: 120_000 });
  return trainerCli;
}

export interface TrainerCliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runTrainerCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrainerCliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(trainerCli, args, {
      maxBuffer: 64 * 1024 * 1024,
      env,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failure.code ?? -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

/** The loss of every step `train` printed (one JSON line per step). */
export function stepLosses(stdout: string): number[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { loss: number }).loss);
}

/** Logits rows compared up to a per-row constant (llama.cpp reports probabilities, i.e. logits up to a shift). */
export function maxCenteredRelativeError(
  mine: Float32Array,
  referenceLogProbabilities: Float64Array,
  rowLength: number,
): number {
  let worst = 0;
  for (let row = 0; row * rowLength < mine.length; row++) {
    const a = mine.subarray(row * rowLength, (row + 1) * rowLength);
    const b = referenceLogProbabilities.subarray(row * rowLength, (row + 1) * rowLength);
    const meanA = a.reduce((sum, x) => sum + x, 0) / rowLength;
    const meanB = b.reduce((sum, x) => sum + x, 0) / rowLength;
    let maxDifference = 0;
    let maxMagnitude = 0;
    for (let i = 0; i < rowLength; i++) {
      const centeredB = (b[i] ?? 0) - meanB;
      maxDifference = Math.max(maxDifference, Math.abs((a[i] ?? 0) - meanA - centeredB));
      maxMagnitude = Math.max(maxMagnitude, Math.abs(centeredB));
    }
    worst = Math.max(worst, maxDifference / maxMagnitude);
  }
  return worst;
}

export function readFloat32File(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** A LoRA adapter file for `model.createContext({ lora })`, applied at `scale`. */
export interface AdapterOption {
  filePath: string;
  scale: number;
}

function contextOptions(adapter: AdapterOption | undefined) {
  return {
    threads: 1,
    contextSize: 64,
    ...(adapter ? { lora: { adapters: [{ filePath: adapter.filePath, scale: adapter.scale }] } } : {}),
  };
}

/** node-llama-cpp's log-probabilities after each of `tokens` (row-major, one row of n_vocab per token). */
export async function nodeLlamaLogProbabilities(
  llama: Llama,
  modelPath: string,
  tokens: number[],
  adapter?: AdapterOption,
): Promise<{ logProbabilities: Float64Array; vocabularySize: number }> {
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext(contextOptions(adapter));
    const outputs = await context
      .getSequence()
      .controlledEvaluate(
        tokens.map((token) => [
          token as Token,
          { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } },
        ]),
      );
    const rowLength = outputs[0]?.next?.probabilities?.size ?? 0;
    const logProbabilities = new Float64Array(tokens.length * rowLength);
    outputs.forEach((output, row) => {
      const probabilities = output?.next?.probabilities;
      if (!probabilities || probabilities.size !== rowLength)
        throw new Error(`row ${row}: expected ${rowLength} probabilities`);
      for (const [token, probability] of probabilities)
        logProbabilities[row * rowLength + token] = Math.log(probability);
    });
    await context.dispose();
    return { logProbabilities, vocabularySize: rowLength };
  } finally {
    await model.dispose();
  }
}

/** Greedy (temperature 0) continuation of `prompt` in node-llama-cpp. */
export async function nodeLlamaGreedyTokens(
  llama: Llama,
  modelPath: string,
  prompt: number[],
  count: number,
  adapter?: AdapterOption,
): Promise<number[]> {
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext(contextOptions(adapter));
    const generated: number[] = [];
    for await (const token of context.getSequence().evaluate(prompt as Token[], { temperature: 0 })) {
      generated.push(token);
      if (generated.length >= count) break;
    }
    await context.dispose();
    return generated;
  } finally {
    await model.dispose();
  }
}

/** The parameters a `--dump DIR` run wrote: parameters.json (name → count) and one <name>.f32 file each. */
export function readParameters(dumpDirectory: string): Map<string, Float32Array> {
  const index = JSON.parse(readFileSync(join(dumpDirectory, "parameters.json"), "utf8")) as Record<
    string,
    number
  >;
  const parameters = new Map<string, Float32Array>();
  for (const name of Object.keys(index))
    parameters.set(name, readFloat32File(join(dumpDirectory, `${name}.f32`)));
  return parameters;
}
