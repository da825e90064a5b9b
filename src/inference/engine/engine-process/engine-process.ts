// Strata's side of an inference process: the engine interface, forwarded to a child process that runs its own
// LlamaCppEngine (engine-process-child.ts). The child can be kept on a set of cores (cpu-affinity.ts); a
// child that dies fails the calls in flight with an EngineError, and the owner starts another on next use.
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../../../logging/logger.js";
import { descendantProcesses } from "../../../system/cpu-affinity.js";
import {
  type ContinuationScore,
  type EmbeddingOptions,
  EngineError,
  type EngineModel,
  type GenerationEvent,
  type GenerationRequest,
  type InferenceEngine,
  type MeasuredCapacity,
  type Prompt,
  type ScoringEngine,
  type ScoringRequest,
} from "../inference-engine.js";
import type { LlamaCppEngineOptions } from "../llama-cpp-engine.js";
import {
  type ChildMessage,
  type EngineCall,
  isChildMessage,
  type ParentMessage,
} from "./engine-process-messages.js";

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith(".ts");
const childPath = join(dirname(here), fromSource ? "engine-process-child.ts" : "engine-process-child.js");

/** The inference processes among a process's descendants, seen from outside (the benchmark, tests). */
export function inferenceProcessIds(parentPid: number): number[] {
  return descendantProcesses(parentPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(basename(childPath));
    } catch {
      return false; // exited meanwhile
    }
  });
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Generation events, for a generate call. */
  onEvent?(event: GenerationEvent): void;
}

export interface EngineProcessOptions {
  /** Names the process in logs and errors (e.g. the base model it serves). */
  label: string;
  logger?: Logger;
  engine?: Pick<LlamaCppEngineOptions, "sequencesPerModel" | "maxContextSize">;
}

export class EngineProcess implements InferenceEngine, ScoringEngine {
  readonly child: ChildProcess;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private exitError: EngineError | undefined;
  private disposing = false;
  private readonly exited: Promise<void>;

  constructor(private readonly options: EngineProcessOptions) {
    this.child = fork(childPath, [JSON.stringify(options.engine ?? {})], {
      execArgv: fromSource ? ["--import", "tsx"] : [],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    this.child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    this.child.on("message", (raw) => this.receive(raw));
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exitError = new EngineError(
          "internal",
          `The inference process for ${options.label} exited (${signal ?? code})${stderr.trim() ? `: ${stderr.trim()}` : ""}. The next request starts another.`,
        );
        if (!this.disposing)
          options.logger?.warn("inference process exited", { inferenceProcess: options.label, code, signal });
        for (const call of this.pending.values()) call.reject(this.exitError);
        this.pending.clear();
        resolve();
      });
    });
  }

  get label(): string {
    return this.options.label;
  }

  /** False once the child has exited (crashed, killed, or disposed). */
  get alive(): boolean {
    return this.exitError === undefined;
  }

  private receive(raw: unknown): void {
    if (!isChildMessage(raw)) return;
    const message: ChildMessage = raw;
    if (message.type === "log") {
      this.options.logger?.[message.level](message.message, {
        ...message.fields,
        inferenceProcess: this.options.label,
      });
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    if (message.type === "event") call.onEvent?.(message.event);
    else {
      this.pending.delete(message.id);
      if (message.type === "result") call.resolve(message.value);
      else call.reject(new EngineError(message.kind, message.message));
    }
  }

  private send(message: ParentMessage): void {
    if (this.exitError) throw this.exitError;
    this.child.send(message);
  }

  private call<T>(call: EngineCall, signal?: AbortSignal): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () =>
        this.child.connected && this.child.send({ type: "abort", id } satisfies ParentMessage);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(value as T);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(signal?.aborted ? signal.reason : error);
        },
      });
      try {
        this.send({ type: "call", id, call });
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  async *generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const id = this.nextId++;
    const events: GenerationEvent[] = [];
    let finished = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    this.pending.set(id, {
      onEvent: (event) => {
        events.push(event);
        wake?.();
      },
      resolve: () => {
        finished = true;
        wake?.();
      },
      reject: (error) => {
        failure = error;
        finished = true;
        wake?.();
      },
    });
    const abort = () =>
      this.child.connected && this.child.send({ type: "abort", id } satisfies ParentMessage);
    request.signal.addEventListener("abort", abort, { once: true });
    let ended = false;
    try {
      const { signal: _signal, ...rest } = request;
      this.send({ type: "generate", id, request: rest });
      while (true) {
        const event = events.shift();
        if (event) {
          if (event.type === "end") ended = true;
          yield event;
          continue;
        }
        // Stopped by the caller: the caller's AbortError, as the in-process engine throws it.
        if (failure) throw request.signal.aborted ? request.signal.reason : failure;
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      request.signal.removeEventListener("abort", abort);
      // The consumer stopped reading before the end: the child stops generating and frees the sequence.
      if (!ended && !finished) abort();
    }
  }

  countTokens(model: EngineModel, prompt: Prompt): Promise<number> {
    return this.call({ method: "countTokens", model, prompt });
  }

  embed(model: EngineModel, texts: string[], options?: EmbeddingOptions): Promise<number[][]> {
    return this.call({ method: "embed", model, texts, ...(options ? { options } : {}) });
  }

  supportsTools(model: EngineModel): Promise<boolean> {
    return this.call({ method: "supportsTools", model });
  }

  contextLength(model: EngineModel): Promise<number> {
    return this.call({ method: "contextLength", model });
  }

  scoreContinuation(request: ScoringRequest): Promise<ContinuationScore> {
    const { signal, ...rest } = request;
    return this.call({ method: "scoreContinuation", request: rest }, signal);
  }

  /** Measures the model's decode speed in the child, on the cores it is pinned to. */
  measureCapacity(
    model: EngineModel,
    options: { threads: number; sequences: number },
  ): Promise<MeasuredCapacity> {
    return this.call({ method: "measureCapacity", model, options });
  }

  /** Waits for the capacity's generations to end, then frees its context in the child. */
  async releaseCapacity(capacityKey: string): Promise<void> {
    await this.call({ method: "releaseCapacity", capacityKey });
  }

  /** Disconnects (the child disposes its models and exits); killed if it has not exited within 10 s. */
  async dispose(): Promise<void> {
    if (!this.alive) return;
    this.disposing = true;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
