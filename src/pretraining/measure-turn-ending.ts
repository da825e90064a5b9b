// How often a chat model ends its turn by itself: each prompt as a one-turn chat through the same engine that
// serves Converse, greedy, and the share of answers that stop with end_turn before maxTokens.
import { collectGeneration } from "../inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../inference/engine/llama-cpp-engine.js";

export interface TurnEndingReport {
  prompts: number;
  endedTurn: number;
  rate: number;
  maxTokens: number;
  meanOutputTokens: number;
  examples: { prompt: string; answer: string; stopReason: string }[];
}

export async function measureTurnEnding(
  modelPath: string,
  prompts: readonly string[],
  options: { maxTokens: number; threads: number },
): Promise<TurnEndingReport> {
  const engine = new LlamaCppEngine({ threads: options.threads, sequencesPerModel: 1 });
  try {
    const model = { modelId: "measured", filePath: modelPath };
    let endedTurn = 0;
    let outputTokens = 0;
    const examples: TurnEndingReport["examples"] = [];
    for (const prompt of prompts) {
      const { text, end } = await collectGeneration(
        engine.generate({
          model,
          prompt: { kind: "chat", messages: [{ role: "user", text: prompt }] },
          sampling: { maxTokens: options.maxTokens, temperature: 0 },
          signal: new AbortController().signal,
        }),
      );
      if (end.stopReason === "end_turn") endedTurn++;
      outputTokens += end.usage.outputTokens;
      if (examples.length < 12) examples.push({ prompt, answer: text, stopReason: end.stopReason });
    }
    return {
      prompts: prompts.length,
      endedTurn,
      rate: endedTurn / prompts.length,
      maxTokens: options.maxTokens,
      meanOutputTokens: outputTokens / prompts.length,
      examples,
    };
  } finally {
    await engine.dispose();
  }
}
