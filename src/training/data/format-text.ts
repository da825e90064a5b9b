// Prompt→completion pairs (loss on the completion and EOS) and plain documents (loss everywhere), tokenized
// with the base model's own tokenizer, BOS first.
import type { LlamaModel } from "node-llama-cpp";
import type { TokenizedExample } from "./tokenized-example.js";

export function formatPromptCompletion(
  model: LlamaModel,
  prompt: string,
  completion: string,
): TokenizedExample {
  const head = [...begin(model), ...model.tokenize(prompt)];
  const tail = [...model.tokenize(completion), ...end(model)];
  return { tokens: [...head, ...tail], trained: [...head.map(() => false), ...tail.map(() => true)] };
}

export function formatDocument(model: LlamaModel, text: string): TokenizedExample {
  const tokens = [...begin(model), ...model.tokenize(text), ...end(model)];
  return { tokens, trained: tokens.map((_, i) => i > 0) };
}

function begin(model: LlamaModel): number[] {
  return model.tokens.bos == null ? [] : [model.tokens.bos];
}

function end(model: LlamaModel): number[] {
  return model.tokens.eos == null ? [] : [model.tokens.eos];
}
