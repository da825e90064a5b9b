// Meta Llama's native InvokeModel body. Request: `prompt` (raw text, already in the model's prompt format),
// `max_gen_len` (1–2048, default 512), `temperature` (0–1, default 0.5), `top_p` (0–1, default 0.9).
// Response: `generation`, `prompt_token_count`, `generation_token_count`, `stop_reason` ("stop" | "length").
// Stream chunks carry the same four fields: the prompt count in the first chunk only, stop_reason null until
// the last. https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-meta.html
import type { StopReason } from "../engine/inference-engine.js";
import {
  optionalInteger,
  optionalNumber,
  parseBody,
  requiredString,
  requireObject,
  samplingFrom,
} from "./body-fields.js";
import type {
  CollectedGeneration,
  NativeChunk,
  NativeFamily,
  NativeStreamContext,
  NativeStreamTranslator,
  ParsedNativeRequest,
} from "./native-family.js";

export function parseLlamaRequest(body: unknown): ParsedNativeRequest {
  return parseBody(() => {
    const fields = requireObject(body, "");
    const text = requiredString(fields, "prompt");
    return {
      ok: true,
      prompt: { kind: "text", text },
      sampling: samplingFrom({
        maxTokens: optionalInteger(fields, "max_gen_len", { min: 1, max: 2048 }) ?? 512,
        temperature: optionalNumber(fields, "temperature", { min: 0, max: 1 }) ?? 0.5,
        topP: optionalNumber(fields, "top_p", { min: 0, max: 1 }) ?? 0.9,
      }),
    };
  });
}

/** Llama says "stop" for a natural end or a stop sequence, "length" when max_gen_len cut it off. */
export function llamaStopReason(stopReason: StopReason): "stop" | "length" {
  return stopReason === "max_tokens" ? "length" : "stop";
}

export function llamaResponseBody(generation: CollectedGeneration): NativeChunk {
  return {
    generation: generation.text,
    prompt_token_count: generation.end.usage.inputTokens,
    generation_token_count: generation.end.usage.outputTokens,
    stop_reason: llamaStopReason(generation.end.stopReason),
  };
}

export function createLlamaStream(context: NativeStreamContext): NativeStreamTranslator {
  let first = true;
  // The engine's text events do not carry token counts: each is about one token, so the running count is
  // the number of pieces so far, and the last chunk carries the exact count from the engine's usage.
  let pieces = 0;
  const promptTokenCount = () => {
    const count = first ? context.inputTokens : null;
    first = false;
    return count;
  };
  return {
    translate(event) {
      if (event.type === "text") {
        pieces += 1;
        return [
          {
            generation: event.text,
            prompt_token_count: promptTokenCount(),
            generation_token_count: pieces,
            stop_reason: null,
          },
        ];
      }
      if (event.type === "toolCall") return []; // a raw text prompt carries no tools
      return [
        {
          generation: "",
          prompt_token_count: promptTokenCount(),
          generation_token_count: event.usage.outputTokens,
          stop_reason: llamaStopReason(event.stopReason),
        },
      ];
    },
  };
}

export const metaLlamaFamily: NativeFamily = {
  name: "meta-llama",
  shape: 'Meta Llama {"prompt": string, "max_gen_len"?, "temperature"?, "top_p"?}',
  parseRequest: parseLlamaRequest,
  responseBody: llamaResponseBody,
  createStream: createLlamaStream,
};
