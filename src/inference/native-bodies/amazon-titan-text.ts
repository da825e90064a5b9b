// Amazon Titan Text's native InvokeModel body. Request: `inputText` (raw text), optional
// `textGenerationConfig {temperature (0–1, default 0.7), topP (0–1, default 0.9), maxTokenCount (default
// 512, at most 4,096 for Lite and 8,192 for Express), stopSequences}`. Response: `inputTextTokenCount`,
// `results[{tokenCount, outputText, completionReason}]`; stream chunks `{outputText, index,
// totalOutputTextTokenCount, completionReason, inputTextTokenCount}`.
// https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html
import type { StopReason } from "../engine/inference-engine.js";
import {
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalStopSequences,
  parseBody,
  requiredString,
  requireObject,
  samplingFrom,
} from "./body-fields.js";
import type {
  CollectedGeneration,
  NativeChunk,
  NativeFamily,
  NativeRequestLimits,
  NativeStreamContext,
  NativeStreamTranslator,
  ParsedNativeRequest,
} from "./native-family.js";

/** Titan Text Express's limit; a Titan model in the catalog brings its own (Lite: 4,096). */
const defaultMaxTokenCount = 8192;

export function parseTitanTextRequest(body: unknown, limits: NativeRequestLimits = {}): ParsedNativeRequest {
  return parseBody(() => {
    const fields = requireObject(body, "");
    const text = requiredString(fields, "inputText");
    const config = optionalObject(fields, "textGenerationConfig") ?? {};
    const prefix = "textGenerationConfig";
    // Titan documents 0 as the minimum, but a generation of no tokens is no generation: ask for at least one.
    const maxTokenCount = optionalInteger(
      config,
      "maxTokenCount",
      { min: 1, max: limits.maxOutputTokens ?? defaultMaxTokenCount },
      prefix,
    );
    return {
      ok: true,
      prompt: { kind: "text", text },
      sampling: samplingFrom({
        maxTokens: maxTokenCount ?? 512,
        temperature: optionalNumber(config, "temperature", { min: 0, max: 1 }, prefix) ?? 0.7,
        topP: optionalNumber(config, "topP", { min: 0, max: 1 }, prefix) ?? 0.9,
        stopSequences: optionalStopSequences(config, "stopSequences", prefix),
      }),
    };
  });
}

export type TitanCompletionReason = "FINISH" | "LENGTH" | "STOP_CRITERIA_MET";

export function titanCompletionReason(stopReason: StopReason): TitanCompletionReason {
  if (stopReason === "max_tokens") return "LENGTH";
  if (stopReason === "stop_sequence") return "STOP_CRITERIA_MET";
  return "FINISH";
}

export function titanTextResponseBody(generation: CollectedGeneration): NativeChunk {
  return {
    inputTextTokenCount: generation.end.usage.inputTokens,
    results: [
      {
        tokenCount: generation.end.usage.outputTokens,
        outputText: generation.text,
        completionReason: titanCompletionReason(generation.end.stopReason),
      },
    ],
  };
}

export function createTitanTextStream(context: NativeStreamContext): NativeStreamTranslator {
  let first = true;
  // Each engine text event is about one token; the last chunk carries the engine's exact count.
  let pieces = 0;
  const inputTextTokenCount = () => {
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
            outputText: event.text,
            // Titan returns a single result; `index` is its position in `results`.
            index: 0,
            totalOutputTextTokenCount: pieces,
            completionReason: null,
            inputTextTokenCount: inputTextTokenCount(),
          },
        ];
      }
      if (event.type === "toolCall") return []; // a raw text prompt carries no tools
      return [
        {
          outputText: "",
          index: 0,
          totalOutputTextTokenCount: event.usage.outputTokens,
          completionReason: titanCompletionReason(event.stopReason),
          inputTextTokenCount: inputTextTokenCount(),
        },
      ];
    },
  };
}

export const amazonTitanTextFamily: NativeFamily = {
  name: "amazon-titan-text",
  shape: 'Amazon Titan Text {"inputText": string, "textGenerationConfig"?}',
  parseRequest: parseTitanTextRequest,
  responseBody: titanTextResponseBody,
  createStream: createTitanTextStream,
};
