// The chat template and the loss mask: a two-turn conversation rendered with the tiny model's own template
// trains on exactly the assistant tokens (each answer and the end-of-turn token that closes it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatWrapperFor, formatConversation } from "../../src/training/data/format-conversation.js";
import { formatPromptCompletion } from "../../src/training/data/format-text.js";
import { packExamples } from "../../src/training/data/pack-examples.js";
import { loadTokenizerModel } from "../../src/training/data/prepare-training-data.js";
import { makeTestModel } from "../support/make-test-model.js";

let directory: string;
let model: LlamaModel;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "strata-loss-mask-"));
  const path = join(directory, "tiny.gguf");
  await makeTestModel(path, { tensorType: "F32" });
  model = await loadTokenizerModel(path);
});

afterAll(async () => {
  await model?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

/** Contiguous runs of trained tokens, as text. */
function trainedSpans(tokens: readonly number[], trained: readonly boolean[]): string[] {
  const spans: number[][] = [];
  tokens.forEach((token, i) => {
    if (!trained[i]) return;
    if (i > 0 && trained[i - 1]) spans.at(-1)?.push(token);
    else spans.push([token]);
  });
  return spans.map((span) => model.detokenize(span as never, true));
}

describe("conversation formatting and loss mask", () => {
  it("trains exactly on the assistant tokens of a two-turn conversation", () => {
    const result = formatConversation(model, chatWrapperFor(model), [
      { role: "user", content: "Hello there" },
      { role: "assistant", content: "General Kenobi" },
      { role: "user", content: "How are you?" },
      { role: "assistant", content: "Fine, thanks." },
    ]);
    if (!result.ok) throw new Error(result.error);
    const { tokens, trained } = result.example;
    console.log(
      tokens
        .map(
          (token, i) =>
            `${trained[i] ? "[T]" : "   "} ${token} ${JSON.stringify(model.detokenize([token] as never, true))}`,
        )
        .join("\n"),
    );
    expect(model.detokenize(tokens as never, true)).toBe(
      "<|begin_of_text|><|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\nGeneral Kenobi<|im_end|>\n" +
        "<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\nFine, thanks.<|im_end|>",
    );
    expect(trainedSpans(tokens, trained)).toEqual(["General Kenobi<|im_end|>", "Fine, thanks.<|im_end|>"]);
    // Exactly the tokens the model would produce answering each turn: the answer's own tokenization + end of turn.
    const endOfTurn = model.tokenize("<|im_end|>", true);
    expect(endOfTurn).toHaveLength(1);
    const answers = ["General Kenobi", "Fine, thanks."].map((text) => [
      ...model.tokenize(text),
      ...endOfTurn,
    ]);
    expect(tokens.filter((_, i) => trained[i])).toEqual(answers.flat());

    // After packing, the loss mask sits on the predictions of exactly those tokens.
    const [row] = packExamples([result.example], 256);
    expect(row?.targets.filter((_, i) => row.lossMask[i] === 1)).toEqual(answers.flat());
  });

  it("prompt/completion pairs train on the completion and EOS only", () => {
    const example = formatPromptCompletion(model, "The capital of France is", " Paris");
    expect(trainedSpans(example.tokens, example.trained)).toEqual([" Paris<|end_of_text|>"]);
  });
});
