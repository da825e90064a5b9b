// The tokens a continuation is scored on, formatted as the trainer formats its data (src/training/data/): a text
// prompt is BOS + prompt and the continuation ends with EOS (format-text.ts); a chat prompt is the model's chat
// template up to the open assistant turn and the continuation is that turn's content plus the end-of-turn token
// the template closes it with (format-conversation.ts). So the loss measured here on a customization job's
// validation data is the loss the trainer reports on it.
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from "node-llama-cpp";
import { toChatHistory } from "./chat-history.js";
import type { Prompt } from "./inference-engine.js";

export interface ScoringTokens {
  /** Conditioned on, not scored. */
  context: Token[];
  /** Scored: each is predicted from everything before it. */
  continuation: Token[];
}

export function scoringTokens(
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  prompt: Prompt,
  continuation: string,
): ScoringTokens {
  if (prompt.kind === "text") {
    const begin = model.tokens.bos == null ? [] : [model.tokens.bos];
    const end = model.tokens.eos == null ? [] : [model.tokens.eos];
    return {
      context: [...begin, ...model.tokenize(prompt.text)],
      continuation: [...model.tokenize(continuation), ...end],
    };
  }
  const render = (items: ChatHistoryItem[]): Token[] =>
    chatWrapper.generateContextState({ chatHistory: items }).contextText.tokenize(model.tokenizer);
  // toChatHistory ends with the empty model turn generation continues from.
  const open = toChatHistory(prompt.system, prompt.messages);
  const answered: ChatHistoryItem[] = [...open.slice(0, -1), { type: "model", response: [continuation] }];
  const context = render(open);
  const full = render(answered);
  const closing = render([...answered, { type: "user", text: "" }])[full.length];
  const end = closing !== undefined && model.isEogToken(closing) ? [closing] : [];
  if (full.length >= context.length && context.every((token, index) => full[index] === token))
    return { context, continuation: [...full.slice(context.length), ...end] };
  // A template that renders the open turn differently from the answered one: score the text as it tokenizes.
  return { context, continuation: [...model.tokenize(continuation), ...end] };
}
