// One example of an evaluation and what each model did with it. Cases come from a Bedrock prompt dataset (the
// prompt is text, formatted per model) or from a customization job's validation data (the prompt is formatted
// as the job trained it); results are what the runner checkpoints and the summary reads.
import type { Prompt, StopReason } from "../../inference/engine/inference-engine.js";
import type { ReferenceLikelihood } from "../metrics/perplexity.js";

export interface EvaluationCase {
  /** The record's line in its file. */
  line: number;
  /** The prompt as shown in results and the report. */
  promptText: string;
  /** Set when the prompt's format is fixed by the data (a chat conversation, a raw completion prompt). */
  prompt?: Prompt;
  reference?: string;
  category?: string;
}

export interface JudgeVerdict {
  /** 1–5 as the judge gave it; absent when its reply had no score. */
  score?: number;
  reply: string;
}

export interface ExampleResult {
  line: number;
  response?: string;
  /** Why the model produced no answer (an engine error): the example scores 0 on every quality metric. */
  error?: string;
  stopReason?: StopReason;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  exactMatch?: number;
  rougeL?: number;
  tokenF1?: number;
  /** The class label read from the answer; null when it names none. */
  predictedLabel?: string | null;
  likelihood?: ReferenceLikelihood;
  likelihoodError?: string;
  judge?: Record<string, JudgeVerdict>;
}
