// Validates a legacy /v1/completions body: one prompt string, completed as raw text with no chat template.
import {
  type GenerationFields,
  parseGenerationFields,
  parseMaximumTokens,
} from "./parse-generation-fields.js";
import {
  optionalBoolean,
  optionalField,
  optionalNumber,
  type ParseResult,
  parseWith,
  requiredField,
  requireObject,
  typeError,
  unsupportedError,
  valueError,
} from "./request-fields.js";

export interface CompletionRequest extends GenerationFields {
  prompt: string;
  /** OpenAI's default for this endpoint is 16 tokens. */
  maxTokens: number;
  /** Return the prompt in front of the completion. */
  echo: boolean;
}

export const defaultCompletionMaxTokens = 16;

export function parseCompletionRequest(body: unknown): ParseResult<CompletionRequest> {
  return parseWith(() => {
    const object = requireObject(body, "body");
    const fields = parseGenerationFields(object);
    const prompt = parsePrompt(requiredField(object, "prompt"));
    if (optionalField(object, "suffix") !== undefined) {
      throw unsupportedError("suffix", "'suffix' (insertion) is not supported by Strata's local models.");
    }
    const logprobs = optionalNumber(object, "logprobs", { integer: true, minimum: 0, maximum: 5 });
    if (logprobs !== undefined && logprobs > 0) {
      throw unsupportedError(
        "logprobs",
        "Strata does not return log probabilities: 'logprobs' must be 0 or null.",
      );
    }
    const bestOf = optionalNumber(object, "best_of", { integer: true, minimum: 1 });
    if (bestOf !== undefined && bestOf !== 1) {
      throw unsupportedError(
        "best_of",
        `Strata generates one candidate per request: 'best_of' must be 1, but got ${bestOf}.`,
      );
    }
    return {
      ...fields,
      prompt,
      maxTokens: parseMaximumTokens(object, ["max_tokens"]) ?? defaultCompletionMaxTokens,
      echo: optionalBoolean(object, "echo") ?? false,
    };
  });
}

/** A string, or a list holding exactly one string; several prompts would need n choices, token ids a tokenizer. */
function parsePrompt(value: unknown): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) throw typeError("prompt", "a string", value);
  if (value.length === 1 && typeof value[0] === "string") return value[0];
  if (value.length > 0 && value.every((item) => typeof item === "string")) {
    throw unsupportedError(
      "prompt",
      `Strata completes one prompt per request, but got ${value.length} prompts.`,
    );
  }
  throw valueError("prompt", "expected a string; token-id prompts are not supported.");
}
