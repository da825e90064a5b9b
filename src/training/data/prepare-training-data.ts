// Data in, packed rows out: the base model's tokenizer and chat template (node-llama-cpp, vocabulary only),
// every example tokenized with its loss mask, then packed into rows of sequenceLength.
import { getLlama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import type { TrainingData } from "../training-config.js";
import { chatWrapperFor, formatConversation } from "./format-conversation.js";
import { formatDocument, formatPromptCompletion } from "./format-text.js";
import { type PackedRow, packExamples } from "./pack-examples.js";
import type { TokenizedExample } from "./tokenized-example.js";

export async function loadTokenizerModel(modelPath: string): Promise<LlamaModel> {
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  return llama.loadModel({ modelPath, vocabOnly: true });
}

export function tokenizeTrainingData(model: LlamaModel, data: TrainingData): TokenizedExample[] {
  switch (data.kind) {
    case "text":
      return data.documents.map((text) => formatDocument(model, text));
    case "promptCompletion":
      return data.pairs.map(({ prompt, completion }) => formatPromptCompletion(model, prompt, completion));
    case "conversations": {
      const chatWrapper = chatWrapperFor(model);
      return data.conversations.map((conversation, index) => {
        const result = formatConversation(model, chatWrapper, conversation);
        if (!result.ok) throw new Error(`conversation ${index}: ${result.error}`);
        return result.example;
      });
    }
  }
}

export function prepareRows(model: LlamaModel, data: TrainingData, sequenceLength: number): PackedRow[] {
  return packExamples(tokenizeTrainingData(model, data), sequenceLength);
}
