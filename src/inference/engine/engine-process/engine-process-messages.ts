// The messages between Strata and an inference process (engine-process-child.ts): calls of the engine
// interface by id, generation events streamed back under the call's id, errors with their EngineError kind,
// and the child's log lines. Both ends are this codebase; the guards only keep a malformed message from being
// taken for another.
import type {
  EmbeddingOptions,
  EngineModel,
  GenerationEvent,
  GenerationRequest,
  Prompt,
  ScoringRequest,
} from "../inference-engine.js";

/** The engine calls that return one value (generate streams; abort and release are not answered with data). */
export type EngineCall =
  | { method: "countTokens"; model: EngineModel; prompt: Prompt }
  | { method: "embed"; model: EngineModel; texts: string[]; options?: EmbeddingOptions }
  | { method: "supportsTools"; model: EngineModel }
  | { method: "contextLength"; model: EngineModel }
  | { method: "scoreContinuation"; request: Omit<ScoringRequest, "signal"> }
  | { method: "releaseCapacity"; capacityKey: string }
  | { method: "measureCapacity"; model: EngineModel; options: { threads: number; sequences: number } };

export type ParentMessage =
  | { type: "call"; id: number; call: EngineCall }
  | { type: "generate"; id: number; request: Omit<GenerationRequest, "signal"> }
  /** Stops the generation or scoring of that id (the client went away, or the consumer stopped reading). */
  | { type: "abort"; id: number };

export type ChildMessage =
  | { type: "event"; id: number; event: GenerationEvent }
  | { type: "result"; id: number; value: unknown }
  | {
      type: "error";
      id: number;
      kind: "model-load" | "context-overflow" | "unsupported" | "internal";
      message: string;
    }
  | {
      type: "log";
      level: "debug" | "info" | "warn" | "error";
      message: string;
      fields: Record<string, unknown>;
    };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function isParentMessage(value: unknown): value is ParentMessage {
  if (!isRecord(value) || typeof value.id !== "number") return false;
  if (value.type === "abort") return true;
  if (value.type === "generate") return isRecord(value.request);
  return value.type === "call" && isRecord(value.call) && typeof value.call.method === "string";
}

export function isChildMessage(value: unknown): value is ChildMessage {
  if (!isRecord(value)) return false;
  if (value.type === "log") return typeof value.message === "string" && isRecord(value.fields);
  if (typeof value.id !== "number") return false;
  if (value.type === "event") return isRecord(value.event);
  if (value.type === "error") return typeof value.kind === "string" && typeof value.message === "string";
  return value.type === "result";
}
