// Translates the engine's generation events into OpenAI chat.completion.chunk objects: a first chunk with the
// role, one per text piece or tool call, one with the finish reason, and — when stream_options.include_usage
// is set — a last chunk with the usage and no choices (every earlier chunk then carries `usage: null`).
import type { GenerationEvent } from "../inference/engine/inference-engine.js";
import { finishReasonOf } from "./finish-reason.js";

export interface ChunkIdentity {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
}

export async function* chatCompletionChunks(
  events: AsyncIterable<GenerationEvent>,
  identity: ChunkIdentity,
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  const chunk = (choices: unknown[]) => ({
    id: identity.id,
    object: "chat.completion.chunk",
    created: identity.created,
    model: identity.model,
    choices,
    ...(identity.includeUsage ? { usage: null } : {}),
  });
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });
  yield chunk([choice({ role: "assistant", content: "" })]);
  let toolCallCount = 0;
  for await (const event of events) {
    switch (event.type) {
      case "text":
        if (event.text.length > 0) yield chunk([choice({ content: event.text })]);
        break;
      case "toolCall":
        yield chunk([
          choice({
            tool_calls: [
              {
                index: toolCallCount,
                id: event.toolCall.id,
                type: "function",
                function: { name: event.toolCall.name, arguments: JSON.stringify(event.toolCall.input) },
              },
            ],
          }),
        ]);
        toolCallCount += 1;
        break;
      case "end":
        yield chunk([choice({}, finishReasonOf(event.stopReason, toolCallCount))]);
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
        break;
    }
  }
}
