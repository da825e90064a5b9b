// A conversation rendered with the base model's own chat template (node-llama-cpp's chat wrapper for the
// model) and tokenized with its own tokenizer; the trained tokens are exactly each assistant turn's content and
// the end-of-turn token that closes it, found token-exactly by rendering the prefixes of the conversation.
import {
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaModel,
  resolveChatWrapper,
  type Token,
} from "node-llama-cpp";
import type { Conversation } from "../training-config.js";
import type { TokenizedExample } from "./tokenized-example.js";

export type FormatResult = { ok: true; example: TokenizedExample } | { ok: false; error: string };

export function chatWrapperFor(model: LlamaModel): ChatWrapper {
  return resolveChatWrapper(model);
}

export function formatConversation(
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  conversation: Conversation,
): FormatResult {
  const history = conversation.map(toHistoryItem);
  const render = (items: ChatHistoryItem[]): Token[] =>
    chatWrapper.generateContextState({ chatHistory: items }).contextText.tokenize(model.tokenizer);
  // The renderer leaves a final assistant turn open (ready to continue). How the template closes a turn is
  // read from a render with one more (empty) user turn after it: the end-of-generation token that follows.
  const closed = render([...history, { type: "user", text: "" }]);
  const tokens: number[] = render(history);
  const closing = closed[tokens.length];
  if (conversation.at(-1)?.role === "assistant") {
    if (closing === undefined || !model.isEogToken(closing))
      return {
        ok: false,
        error: "the chat template does not close an assistant turn with an end-of-generation token",
      };
    tokens.push(closing);
  }
  const trained = tokens.map(() => false);

  for (let k = 0; k < conversation.length; k++) {
    if (conversation[k]?.role !== "assistant") continue;
    const start = render([...history.slice(0, k), { type: "model", response: [] }]).length;
    const through = render(history.slice(0, k + 1));
    if (!isPrefix(through, tokens) || start > through.length)
      return {
        ok: false,
        error: `the chat template renders turn ${k} differently inside the whole conversation; cannot find its tokens exactly`,
      };
    for (let i = start; i < through.length; i++) trained[i] = true;
    const next = tokens[through.length];
    if (next !== undefined && model.isEogToken(next as Token)) trained[through.length] = true;
  }
  return { ok: true, example: { tokens, trained } };
}

function toHistoryItem(turn: Conversation[number]): ChatHistoryItem {
  if (turn.role === "assistant") return { type: "model", response: [turn.content] };
  return { type: turn.role, text: turn.content };
}

function isPrefix(prefix: readonly number[], whole: readonly number[]): boolean {
  return prefix.length <= whole.length && prefix.every((token, i) => whole[i] === token);
}
