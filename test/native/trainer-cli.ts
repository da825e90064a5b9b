// Builds the native trainer (native/trainer/build.sh, a no-op when up to date) and runs its standalone CLI.
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

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

export async function runTrainerCli(args: string[]): Promise<TrainerCliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(trainerCli, args, { maxBuffer: 64 * 1024 * 1024 });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failure.code ?? -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
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
