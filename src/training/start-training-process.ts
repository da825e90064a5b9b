// Starts a training run in a child process and follows it: every message is parsed, events go to the
// caller's listener, and the outcome is a promise that settles however the child ends (finished, failed,
// cancelled, or killed — a SIGKILL or a native abort is an exit, not a crash of this process).
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TrainingConfigInput } from "./training-config.js";
import { type ChildMessage, type ParentMessage, parseChildMessage } from "./training-messages.js";

export type TrainingProcessOutcome =
  | Extract<ChildMessage, { type: "finished" }>
  | Extract<ChildMessage, { type: "failed" }>
  | { type: "exited"; code: number | null; signal: NodeJS.Signals | null };

export interface TrainingProcess {
  readonly child: ChildProcess;
  readonly outcome: Promise<TrainingProcessOutcome>;
  /** Stops after the step in flight (a checkpoint is not written for a partial step). */
  cancel(): void;
}

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith(".ts");
const childPath = join(dirname(here), fromSource ? "training-child.ts" : "training-child.js");

export function startTrainingProcess(
  config: TrainingConfigInput,
  onEvent: (event: Exclude<ChildMessage, { type: "finished" | "failed" }>) => void = () => {},
): TrainingProcess {
  const child = fork(childPath, [], {
    execArgv: fromSource ? ["--import", "tsx"] : [],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const outcome = new Promise<TrainingProcessOutcome>((resolve) => {
    let final: TrainingProcessOutcome | undefined;
    child.on("message", (raw) => {
      const parsed = parseChildMessage(raw);
      if (!parsed.ok) {
        final ??= {
          type: "failed",
          error: `unreadable message from the training process: ${parsed.error}`,
          refused: false,
        };
        return;
      }
      const message = parsed.message;
      if (message.type === "finished" || message.type === "failed") final = message;
      else onEvent(message);
    });
    child.on("exit", (code, signal) => {
      if (final) return resolve(final);
      resolve(
        signal !== null || code === 0
          ? { type: "exited", code, signal }
          : {
              type: "failed",
              error: `the training process exited (${signal ?? code}): ${stderr.trim()}`,
              refused: false,
            },
      );
    });
  });
  const send = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };
  send({ type: "start", config });
  return { child, outcome, cancel: () => send({ type: "cancel" }) };
}
