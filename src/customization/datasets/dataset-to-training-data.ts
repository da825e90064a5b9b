// A validated dataset's records turned into the trainer's data: prompt/completion pairs, documents for
// continued pre-training, or conversations (system blocks joined into one system turn). Called only on files
// that validate-dataset.ts passed, so a record that still does not fit is an internal error, not a user one.
import type { Conversation, TrainingData } from "../../training/training-config.js";
import { datasetRecordLines } from "./dataset-lines.js";
import type { DatasetFormat } from "./validate-dataset.js";

interface TextBlock {
  text: string;
}
interface ConversationRecord {
  system?: TextBlock[];
  messages: { role: "user" | "assistant"; content: TextBlock[] }[];
}

const joinBlocks = (blocks: readonly TextBlock[]): string => blocks.map((block) => block.text).join("\n");

export async function datasetToTrainingData(
  chunks: AsyncIterable<Uint8Array | string>,
  format: Exclude<DatasetFormat, "unknown">,
): Promise<TrainingData> {
  const records: unknown[] = [];
  for await (const line of datasetRecordLines(chunks)) records.push(JSON.parse(line) as unknown);
  switch (format) {
    case "prompt-completion":
      return {
        kind: "promptCompletion",
        pairs: (records as { prompt: string; completion: string }[]).map(({ prompt, completion }) => ({
          prompt,
          completion,
        })),
      };
    case "continued-pre-training":
      return { kind: "text", documents: (records as { input: string }[]).map((record) => record.input) };
    case "conversation":
      return {
        kind: "conversations",
        conversations: (records as ConversationRecord[]).map((record): Conversation => {
          const system = record.system && record.system.length > 0 ? joinBlocks(record.system) : undefined;
          return [
            ...(system ? [{ role: "system" as const, content: system }] : []),
            ...record.messages.map((message) => ({
              role: message.role,
              content: joinBlocks(message.content),
            })),
          ];
        }),
      };
  }
}
