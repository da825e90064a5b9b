// The engine's stop reasons in OpenAI's vocabulary.
import type { StopReason } from "../inference/engine/inference-engine.js";

export type FinishReason = "stop" | "length" | "tool_calls";

export function finishReasonOf(stopReason: StopReason, toolCallCount: number): FinishReason {
  if (stopReason === "tool_use" || (toolCallCount > 0 && stopReason === "end_turn")) return "tool_calls";
  return stopReason === "max_tokens" ? "length" : "stop";
}
