// A trainer child outlives a server killed with SIGKILL (it is a separate process and keeps training into the
// job's checkpoint directory). Before a job's trainer starts, the one a previous server left is ended, so two
// processes never write the same checkpoints. The pid file names it; /proc confirms it is still a training
// child before anything is signalled (a pid may have been reused).
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export function trainerPidFile(jobDirectory: string): string {
  return join(jobDirectory, "trainer.pid");
}

export async function killOrphanedTrainer(jobDirectory: string): Promise<void> {
  const pidFile = trainerPidFile(jobDirectory);
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (Number.isInteger(pid) && pid > 0 && (await isTrainingChild(pid))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
    for (let attempt = 0; attempt < 50 && (await isTrainingChild(pid)); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await rm(pidFile, { force: true });
}

async function isTrainingChild(pid: number): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return commandLine.includes("training-child");
}
