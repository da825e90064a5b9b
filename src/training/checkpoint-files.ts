// A checkpoint on disk: the native state (parameters, AdamW moments, step; see strata_trainer_save_checkpoint)
// in state-<step>.bin, and checkpoint.json naming it with the step, the data cursor (the data RNG's state: the
// order is a function of seed and epoch) and the config. Both are written to a temporary file and renamed, the
// manifest last, so a run killed at any moment leaves the previous complete checkpoint in place.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { NativeTrainer } from "./native-trainer.js";

const manifestName = "checkpoint.json";

const manifestSchema = z.object({
  version: z.literal(1),
  step: z.number().int().nonnegative(),
  stateFile: z.string().regex(/^state-\d+\.bin$/),
  cursor: z.object({ epoch: z.number().int().nonnegative(), position: z.number().int().nonnegative() }),
  config: z.record(z.unknown()),
});
export type CheckpointManifest = z.infer<typeof manifestSchema>;

export async function writeCheckpoint(
  directory: string,
  trainer: NativeTrainer,
  manifest: Omit<CheckpointManifest, "version" | "stateFile">,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  const stateFile = `state-${manifest.step}.bin`;
  await trainer.saveCheckpoint(join(directory, stateFile));
  const full: CheckpointManifest = { version: 1, stateFile, ...manifest };
  const temporary = join(directory, `${manifestName}.tmp`);
  await writeFile(temporary, `${JSON.stringify(full)}\n`);
  await rename(temporary, join(directory, manifestName));
  for (const name of await readdir(directory))
    if (/^state-\d+\.bin(\.tmp)?$/.test(name) && name !== stateFile)
      await rm(join(directory, name), { force: true });
}

export type ReadCheckpointResult =
  | { kind: "none" }
  | { kind: "found"; manifest: CheckpointManifest; statePath: string }
  | { kind: "invalid"; error: string };

export async function readCheckpoint(directory: string): Promise<ReadCheckpointResult> {
  let text: string;
  try {
    text = await readFile(join(directory, manifestName), "utf8");
  } catch {
    return { kind: "none" };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", error: `${manifestName} is not JSON: ${(error as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    return { kind: "invalid", error: `${manifestName} is malformed: ${parsed.error.message}` };
  return { kind: "found", manifest: parsed.data, statePath: join(directory, parsed.data.stateFile) };
}
