// The engine's chat prompt as node-llama-cpp's chat history. node-llama-cpp keeps a tool call and its result
// together inside the model's turn, while Bedrock and OpenAI put the result in the next (user/tool) message:
// results are matched back to their calls by id.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import type { ChatMessage } from "./inference-engine.js";

export function toChatHistory(
  system: string | undefined,
  messages: readonly ChatMessage[],
): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (system) history.push({ type: "system", text: system });
  const results = new Map<string, { result: string; isError?: boolean }>();
  for (const message of messages) {
    if (message.role === "tool")
      results.set(message.toolCallId, { result: message.result, isError: message.isError });
  }
  for (const message of messages) {
    if (message.role === "user") {
      history.push({ type: "user", text: message.text });
    } else if (message.role === "assistant") {
      const response: ChatModelResponse["response"] = [];
      if (message.text) response.push(message.text);
      for (const call of message.toolCalls ?? []) {
        const outcome = results.get(call.id);
        const functionCall: ChatModelFunctionCall = {
          type: "functionCall",
          name: call.name,
          params: call.input,
          result: outcome ? (outcome.isError ? { error: outcome.result } : outcome.result) : undefined,
        };
        response.push(functionCall);
      }
      history.push({ type: "model", response });
    }
  }
  // The model answers next: an empty model turn is where generation continues.
  history.push({ type: "model", response: [] });
  return history;
}
