// A model's inferenceParams in CreateEvaluationJob: a JSON string, in Bedrock's documented form
// {"inferenceConfig":{"maxTokens":…,"temperature":…,"topP":…,"stopSequences":[…]}}, plus Strata's
// "promptFormat": "chat" (default: the prompt is a user message in the model's chat template) or "text" (the
// prompt as raw text, for base models and data trained without a template). Parsed strictly: an unknown key
// or a value out of range is refused with the field that holds it. Greedy decoding (temperature 0) unless
// asked otherwise, so an evaluation run twice gives the same answers.
import type { GenerationSettings } from "../evaluation-plan.js";

export const defaultGenerationSettings: GenerationSettings = {
  maxTokens: 256,
  temperature: 0,
  promptFormat: "chat",
};

export type ParsedSettings = { ok: true; settings: GenerationSettings } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseInferenceParams(text: string | undefined, field: string): ParsedSettings {
  if (text === undefined) return { ok: true, settings: { ...defaultGenerationSettings } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${field} is not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(value)) return { ok: false, reason: `${field} must be a JSON object` };
  const settings: GenerationSettings = { ...defaultGenerationSettings };
  for (const [key, entry] of Object.entries(value)) {
    if (key === "promptFormat") {
      if (entry !== "chat" && entry !== "text")
        return {
          ok: false,
          reason: `${field}.promptFormat must be "chat" or "text", got ${JSON.stringify(entry)}`,
        };
      settings.promptFormat = entry;
    } else if (key === "inferenceConfig") {
      if (!isRecord(entry)) return { ok: false, reason: `${field}.inferenceConfig must be an object` };
      const problem = applyInferenceConfig(entry, settings, `${field}.inferenceConfig`);
      if (problem) return { ok: false, reason: problem };
    } else
      return {
        ok: false,
        reason: `${field}.${key} is not an inference parameter Strata knows; use inferenceConfig (maxTokens, temperature, topP, stopSequences) and promptFormat`,
      };
  }
  return { ok: true, settings };
}

function applyInferenceConfig(
  config: Record<string, unknown>,
  settings: GenerationSettings,
  field: string,
): string | undefined {
  const number = (key: string, min: number, max: number, integer: boolean): number | string => {
    const value = config[key];
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    )
      return `${field}.${key} must be ${integer ? "a whole number" : "a number"} in ${min}–${max}, got ${JSON.stringify(value)}`;
    return value;
  };
  for (const key of Object.keys(config)) {
    if (key === "maxTokens" || key === "temperature" || key === "topP") {
      const parsed = key === "maxTokens" ? number(key, 1, 8192, true) : number(key, 0, 1, false);
      if (typeof parsed === "string") return parsed;
      settings[key] = parsed;
    } else if (key === "stopSequences") {
      const stops = config[key];
      if (
        !Array.isArray(stops) ||
        stops.length > 4 ||
        stops.some((stop) => typeof stop !== "string" || stop === "")
      )
        return `${field}.stopSequences must be a list of at most 4 non-empty strings`;
      settings.stopSequences = stops as string[];
    } else
      return `${field}.${key} is not an inferenceConfig field; use maxTokens, temperature, topP, stopSequences`;
  }
  return undefined;
}
