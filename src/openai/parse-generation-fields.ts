// The fields /v1/chat/completions and /v1/completions share: the model, sampling, stop sequences, `n` and
// streaming. Parameters that would change the answer's shape in ways Strata cannot honour (n > 1, logprobs)
// are refused rather than silently ignored; pure tuning knobs Strata lacks (penalties) are range-checked and
// ignored, since a client sending the default values must keep working.
import {
  type JsonObject,
  optionalBoolean,
  optionalField,
  optionalNumber,
  requiredField,
  requireObject,
  requireString,
  typeError,
  unsupportedError,
  valueError,
} from "./request-fields.js";

export interface GenerationFields {
  model: string;
  temperature?: number;
  topP?: number;
  seed?: number;
  stopSequences?: string[];
  stream: boolean;
  /** stream_options.include_usage: a last chunk with `usage` and no choices. */
  includeUsage: boolean;
}

/** OpenAI accepts at most four stop sequences. */
const maximumStopSequences = 4;

export function parseGenerationFields(body: JsonObject): GenerationFields {
  const model = requireString(requiredField(body, "model"), "model");
  if (model.length === 0) throw valueError("model", "expected a non-empty model id.");
  const temperature = optionalNumber(body, "temperature", { minimum: 0, maximum: 2 });
  const topP = optionalNumber(body, "top_p", { minimum: 0, maximum: 1 });
  const seed = optionalNumber(body, "seed", { integer: true });
  optionalNumber(body, "presence_penalty", { minimum: -2, maximum: 2 });
  optionalNumber(body, "frequency_penalty", { minimum: -2, maximum: 2 });
  const n = optionalNumber(body, "n", { integer: true, minimum: 1 });
  if (n !== undefined && n !== 1) {
    throw unsupportedError("n", `Strata generates one choice per request: 'n' must be 1, but got ${n}.`);
  }
  const stream = optionalBoolean(body, "stream") ?? false;
  const streamOptions = optionalField(body, "stream_options");
  let includeUsage = false;
  if (streamOptions !== undefined) {
    if (!stream) {
      throw valueError(
        "stream_options",
        "the 'stream_options' parameter is only allowed when 'stream' is enabled.",
      );
    }
    includeUsage =
      optionalBoolean(
        requireObject(streamOptions, "stream_options"),
        "include_usage",
        "stream_options.include_usage",
      ) ?? false;
  }
  const stopSequences = parseStop(optionalField(body, "stop"));
  return {
    model,
    stream,
    includeUsage,
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(seed === undefined ? {} : { seed }),
    ...(stopSequences === undefined ? {} : { stopSequences }),
  };
}

function parseStop(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw typeError("stop", "a string or an array of strings", value);
  if (list.length > maximumStopSequences) {
    throw valueError(
      "stop",
      `expected at most ${maximumStopSequences} stop sequences, but got ${list.length}.`,
    );
  }
  const sequences = list.map((item, index) => requireString(item, `stop[${index}]`));
  for (const [index, sequence] of sequences.entries()) {
    if (sequence.length === 0) throw valueError(`stop[${index}]`, "a stop sequence must not be empty.");
  }
  return sequences.length === 0 ? undefined : sequences;
}

/** max_completion_tokens is the newer name of max_tokens; either may be sent. */
export function parseMaximumTokens(body: JsonObject, names: readonly string[]): number | undefined {
  for (const name of names) {
    const value = optionalNumber(body, name, { integer: true, minimum: 1 });
    if (value !== undefined) return value;
  }
  return undefined;
}
