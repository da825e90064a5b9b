// An inference process: a LlamaCppEngine of its own, answering the engine calls Strata sends it. Strata runs
// each reservation's base model in one (engine-process.ts) so that the operating system can keep it on the
// reservation's cores; llama.cpp's threads cannot be pinned from inside a process that other traffic shares.
// It exits when Strata disconnects (Strata stopped, or the last reservation on this base was released).
import type { Logger } from "../../../logging/logger.js";
import { EngineError } from "../inference-engine.js";
import { LlamaCppEngine, type LlamaCppEngineOptions } from "../llama-cpp-engine.js";
import { type ChildMessage, type EngineCall, isParentMessage } from "./engine-process-messages.js";

const options = JSON.parse(process.argv[2] ?? "{}") as Pick<
  LlamaCppEngineOptions,
  "sequencesPerModel" | "maxContextSize"
>;

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

const forward =
  (level: "debug" | "info" | "warn" | "error") =>
  (message: string, fields: Record<string, unknown> = {}) =>
    send({ type: "log", level, message, fields });
const logger: Logger = {
  debug: forward("debug"),
  info: forward("info"),
  warn: forward("warn"),
  error: forward("error"),
};

// Every context here is a reservation's, with its own threads: nothing is measured for on-demand use.
const engine = new LlamaCppEngine({ ...options, logger, threads: 1 });
const running = new Map<number, AbortController>();

function fail(id: number, error: unknown): void {
  if (error instanceof EngineError) send({ type: "error", id, kind: error.kind, message: error.message });
  else send({ type: "error", id, kind: "internal", message: (error as Error)?.message ?? String(error) });
}

async function answer(id: number, call: EngineCall, signal: AbortSignal): Promise<unknown> {
  switch (call.method) {
    case "countTokens":
      return engine.countTokens(call.model, call.prompt);
    case "embed":
      return engine.embed(call.model, call.texts, call.options);
    case "supportsTools":
      return engine.supportsTools(call.model);
    case "contextLength":
      return engine.contextLength(call.model);
    case "scoreContinuation":
      return engine.scoreContinuation({ ...call.request, signal });
    case "releaseCapacity":
      return engine.releaseCapacity(call.capacityKey);
    case "measureCapacity":
      return engine.measureCapacity(call.model, call.options);
    default:
      throw new EngineError(
        "internal",
        `unknown engine call ${(call as { method: string }).method} (id ${id})`,
      );
  }
}

process.on("message", (raw: unknown) => {
  if (!isParentMessage(raw)) {
    logger.error("unreadable message from Strata", { message: JSON.stringify(raw).slice(0, 200) });
    return;
  }
  const message = raw;
  if (message.type === "abort") {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  const work =
    message.type === "generate"
      ? (async () => {
          for await (const event of engine.generate({ ...message.request, signal: controller.signal }))
            send({ type: "event", id: message.id, event });
          // Closes the stream on Strata's side (after the end event, or after a stop by abort).
          send({ type: "result", id: message.id, value: null });
        })()
      : answer(message.id, message.call, controller.signal).then((value) =>
          send({ type: "result", id: message.id, value: value ?? null }),
        );
  work.catch((error: unknown) => fail(message.id, error)).finally(() => running.delete(message.id));
});

process.on("disconnect", () => {
  for (const controller of running.values()) controller.abort();
  void engine.dispose().finally(() => process.exit(0));
});
