// The training child process: waits for {type: "start", config}, runs the driver, streams its events to the
// parent and exits. A ggml abort kills only this process; the parent sees the exit.
import { runTraining, TrainingRefusedError } from "./run-training.js";
import { type ChildMessage, parseParentMessage } from "./training-messages.js";

const cancellation = new AbortController();
let started = false;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

// The parent went away (killed, crashed): stop after the step in flight rather than train on unobserved; the
// last checkpoint stays for the job to resume from when the server is back.
process.on("disconnect", () => cancellation.abort());

process.on("message", (raw: unknown) => {
  const parsed = parseParentMessage(raw);
  if (!parsed.ok) {
    void send({ type: "failed", error: `bad message from the parent: ${parsed.error}`, refused: false });
    return;
  }
  if (parsed.message.type === "cancel") {
    cancellation.abort();
    return;
  }
  if (started) return;
  started = true;
  void runTraining(
    parsed.message.config,
    {
      onStart: (facts) => void send({ type: "started", ...facts }),
      onStep: (metrics) => void send({ type: "step", ...metrics }),
      onValidation: (metrics) => void send({ type: "validation", ...metrics }),
      onCheckpoint: ({ step }) => void send({ type: "checkpoint", step }),
    },
    cancellation.signal,
  )
    .then((outcome) => send({ type: "finished", ...outcome }))
    .catch((error: unknown) =>
      send({
        type: "failed",
        error: error instanceof Error ? error.message : String(error),
        refused: error instanceof TrainingRefusedError,
      }),
    )
    .finally(() => process.disconnect?.());
});
