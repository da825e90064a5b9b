import { describe, expect, it } from "vitest";
import { datasetToTrainingData } from "./dataset-to-training-data.js";

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

describe("datasetToTrainingData", () => {
  it("reads prompt/completion pairs across chunk boundaries, with a BOM and CRLF", async () => {
    const data = await datasetToTrainingData(
      chunks('\ufeff{"prompt": "a", "comp', 'letion": "b"}\r\n{"prompt": "c", "completion": "d"}'),
      "prompt-completion",
    );
    expect(data).toEqual({
      kind: "promptCompletion",
      pairs: [
        { prompt: "a", completion: "b" },
        { prompt: "c", completion: "d" },
      ],
    });
  });

  it("reads continued pre-training documents", async () => {
    expect(
      await datasetToTrainingData(chunks('{"input": "x"}\n{"input": "y"}\n'), "continued-pre-training"),
    ).toEqual({
      kind: "text",
      documents: ["x", "y"],
    });
  });

  it("turns conversations into turns, system blocks joined into one system turn", async () => {
    const record = {
      schemaVersion: "bedrock-conversation-2024",
      system: [{ text: "Be brief." }, { text: "Be kind." }],
      messages: [
        { role: "user", content: [{ text: "Hi" }, { text: "there" }] },
        { role: "assistant", content: [{ text: "Hello" }] },
      ],
    };
    expect(await datasetToTrainingData(chunks(`${JSON.stringify(record)}\n`), "conversation")).toEqual({
      kind: "conversations",
      conversations: [
        [
          { role: "system", content: "Be brief.\nBe kind." },
          { role: "user", content: "Hi\nthere" },
          { role: "assistant", content: "Hello" },
        ],
      ],
    });
  });
});
