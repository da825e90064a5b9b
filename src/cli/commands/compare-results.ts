// What `strata compare` knows so far: per prompt, one column per model — its warnings, its text as it streams,
// its tool calls and finally its result — built from the CompareModels events; and the per-model summary over
// every prompt. Pure, shared by the live columns, the plain blocks and --json.
import type {
  CompareModelResultEvent,
  CompareModelStartEvent,
  CompareModelsStream,
} from "../../protocol/generated/strata-types.js";
import { percentile, sortedAscending } from "../../usage/percentile.js";

export interface ModelColumn {
  modelId: string;
  servedModelId?: string;
  warnings: string[];
  text: string;
  toolCalls: { name: string; input: string }[];
  result?: CompareModelResultEvent;
}

export interface PromptComparison {
  promptIndex: number;
  text: string;
  system?: string;
  columns: ModelColumn[];
}

export interface ModelSummary {
  modelId: string;
  runs: number;
  errors: number;
  timeToFirstTokenMsP50?: number;
  latencyMsP50?: number;
  inputTokens: number;
  outputTokens: number;
  /** Output tokens over the summed latency of the successful runs. */
  tokensPerSecond?: number;
  costUsd: number;
  /** Summed over the runs that have one; absent when none has. */
  bedrockEquivalentCostUsd?: number;
}

export class ComparisonResults {
  readonly prompts: PromptComparison[] = [];

  constructor(readonly modelIds: readonly string[]) {}

  /** Applies one event; returns the prompt it belongs to. */
  apply(event: CompareModelsStream): PromptComparison | undefined {
    if (event.promptStart) {
      const prompt: PromptComparison = {
        promptIndex: event.promptStart.promptIndex,
        text: event.promptStart.text,
        ...(event.promptStart.system === undefined ? {} : { system: event.promptStart.system }),
        columns: this.modelIds.map((modelId) => ({ modelId, warnings: [], text: "", toolCalls: [] })),
      };
      this.prompts.push(prompt);
      return prompt;
    }
    const located = event.modelStart ?? event.textDelta ?? event.toolUse ?? event.modelResult;
    if (!located) return undefined;
    const prompt = this.prompts.find((entry) => entry.promptIndex === located.promptIndex);
    const column = prompt?.columns[located.modelIndex];
    if (!prompt || !column) return undefined;
    if (event.modelStart) start(column, event.modelStart);
    else if (event.textDelta) column.text += event.textDelta.text;
    else if (event.toolUse) column.toolCalls.push({ name: event.toolUse.name, input: event.toolUse.input });
    else if (event.modelResult) column.result = event.modelResult;
    return prompt;
  }

  summaries(): ModelSummary[] {
    return this.modelIds.map((modelId, modelIndex) => {
      const results = this.prompts
        .map((prompt) => prompt.columns[modelIndex]?.result)
        .filter((result): result is CompareModelResultEvent => result !== undefined);
      const succeeded = results.filter((result) => result.status === "success");
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      const latencySeconds = sum(succeeded.map((result) => result.latencyMs)) / 1000;
      const outputTokens = sum(succeeded.map((result) => result.outputTokens));
      const equivalents = results
        .map((result) => result.bedrockEquivalent?.costUsd)
        .filter((cost): cost is number => cost !== undefined);
      const ttft = percentile(
        sortedAscending(succeeded.flatMap((result) => result.timeToFirstTokenMs ?? [])),
        50,
      );
      const latency = percentile(sortedAscending(succeeded.map((result) => result.latencyMs)), 50);
      return {
        modelId,
        runs: results.length,
        errors: results.length - succeeded.length,
        ...(ttft === undefined ? {} : { timeToFirstTokenMsP50: ttft }),
        ...(latency === undefined ? {} : { latencyMsP50: latency }),
        inputTokens: sum(results.map((result) => result.inputTokens)),
        outputTokens: sum(results.map((result) => result.outputTokens)),
        ...(latencySeconds > 0 && outputTokens > 0 ? { tokensPerSecond: outputTokens / latencySeconds } : {}),
        costUsd: sum(results.map((result) => result.costUsd)),
        ...(equivalents.length > 0 ? { bedrockEquivalentCostUsd: sum(equivalents) } : {}),
      };
    });
  }
}

function start(column: ModelColumn, event: CompareModelStartEvent): void {
  if (event.servedModelId !== undefined) column.servedModelId = event.servedModelId;
  column.warnings = event.warnings;
}
