// Translates generation events into the legacy /v1/completions stream: `text_completion` objects carrying text
// pieces, then one with the finish reason, then (include_usage) one with the usage and no choices.
import type { GenerationEvent } from "../inference/engine/inference-engine.js";
import type { ChunkIdentity } from "./chat-completion-chunks.js";
import { finishReasonOf } from "./finish-reason.js";

export async function* textCompletionChunks(
  events: AsyncIterable<GenerationEvent>,
  identity: ChunkIdentity,
  /** Sent first, for echo. */
  leadingText: string,
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  const chunk = (choices: unknown[]) => ({
    id: identity.id,
    object: "text_completion",
    created: identity.created,
    model: identity.model,
    choices,
    ...(identity.includeUsage ? { usage: null } : {}),
  });
  const choice = (text: string, finishReason: string | null = null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finishReason,
  });
  if (leadingText.length > 0) yield chunk([choice(leadingText)]);
  for await (const event of events) {
    if (event.type === "text") {
      if (event.text.length > 0) yield chunk([choice(event.text)]);
    } else if (event.type === "end") {
      yield chunk([choice("", finishReasonOf(event.stopReason, 0))]);
      if (identity.includeUsage) {
        yield {
          ...chunk([]),
          usage: {
            prompt_tokens: event.usage.inputTokens,
            completion_tokens: event.usage.outputTokens,
            total_tokens: event.usage.inputTokens + event.usage.outputTokens,
          },
        };
      }
    }
  }
}
