// Measures this host's training speed for a job's settings by running a few real optimizer steps on its own
// packed rows in the trainer's child process (a throwaway checkpoint folder; nothing exported). Used by the dry
// run when no job or earlier dry run has measured these settings yet.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTrainingProcess } from "../../training/start-training-process.js";
import type { TrainingConfigInput } from "../../training/training-config.js";
import { typicalTokensPerSecond } from "./training-throughput-store.js";

export async function measureTrainingThroughput(
  config: Omit<TrainingConfigInput, "checkpointDirectory" | "steps" | "outputPath" | "validation">,
  steps = 3,
): Promise<number> {
  const checkpointDirectory = await mkdtemp(join(tmpdir(), "strata-throughput-"));
  const speeds: number[] = [];
  try {
    // One row per step: speed is per token, and a short measurement should not wait on a large batch.
    const outcome = await startTrainingProcess(
      {
        ...config,
        checkpointDirectory,
        steps,
        rowsPerStep: 1,
        checkpointEvery: steps + 1,
        validationEvery: steps + 1,
      },
      (event) => {
        if (event.type === "step") speeds.push(event.tokensPerSecond);
      },
    ).outcome;
    if (outcome.type === "failed") throw new Error(`measuring training speed failed: ${outcome.error}`);
    const typical = typicalTokensPerSecond(speeds);
    if (!typical) throw new Error("measuring training speed produced no steps");
    return typical;
  } finally {
    await rm(checkpointDirectory, { recursive: true, force: true });
  }
}
