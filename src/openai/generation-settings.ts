// Sampling options shared by chat and text completions, and the default length of an answer.
import type { EngineModel, Prompt, SamplingOptions } from "../inference/engine/inference-engine.js";
import { invalidRequest } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import type { GenerationFields } from "./parse-generation-fields.js";

export function samplingOptions(fields: GenerationFields, maxTokens: number): SamplingOptions {
  return {
    maxTokens,
    ...(fields.temperature === undefined ? {} : { temperature: fields.temperature }),
    ...(fields.topP === undefined ? {} : { topP: fields.topP }),
    ...(fields.seed === undefined ? {} : { seed: fields.seed }),
    ...(fields.stopSequences === undefined ? {} : { stopSequences: fields.stopSequences }),
  };
}

/** Without max_tokens OpenAI lets the answer run to the end of the context window: so does Strata. */
export async function remainingContextTokens(
  context: OpenAiRequestContext,
  model: EngineModel,
  prompt: Prompt,
): Promise<number> {
  const [contextLength, promptTokens] = await Promise.all([
    context.runtime.engine.contextLength(model),
    context.runtime.engine.countTokens(model, prompt),
  ]);
  const remaining = contextLength - promptTokens;
  if (remaining <= 0) {
    throw invalidRequest(
      `This model's maximum context length is ${contextLength} tokens, but the prompt takes ${promptTokens} tokens.`,
      null,
      "context_length_exceeded",
    );
  }
  return remaining;
}

export function unixSeconds(date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}

/** Response ids carry the request id, so an answer can be found in the request log. */
export function responseId(prefix: string, requestId: string): string {
  return `${prefix}-${requestId.replaceAll("-", "")}`;
}
