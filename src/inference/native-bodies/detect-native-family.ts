// Which native body format a request uses. A Bedrock model id (or the Bedrock id an alias stands in for)
// fixes it by its family; a local model (strata.*, local.*) has no family of its own, so the body's
// distinguishing field decides — in an order where no earlier test can mistake a later format.
import { ValidationException } from "../../protocol/aws-errors.js";
import { amazonNovaFamily } from "./amazon-nova.js";
import { amazonTitanTextFamily } from "./amazon-titan-text.js";
import { anthropicMessagesFamily } from "./anthropic-messages.js";
import { isBodyObject } from "./body-fields.js";
import { metaLlamaFamily } from "./meta-llama.js";
import type { NativeFamily } from "./native-family.js";

/** Sniffing order: anthropic_version, then inputText, then prompt, then messages (Anthropic also has messages). */
export const sniffedFamilies: readonly { field: string; family: NativeFamily }[] = [
  { field: "anthropic_version", family: anthropicMessagesFamily },
  { field: "inputText", family: amazonTitanTextFamily },
  { field: "prompt", family: metaLlamaFamily },
  { field: "messages", family: amazonNovaFamily },
];

// Inference-profile ids put a geography in front of the model id (us.anthropic…, global.amazon.nova…).
const familiesByModelId: readonly { pattern: RegExp; family: NativeFamily }[] = [
  { pattern: /^(?:[a-z]{2,6}\.)?anthropic\.claude/, family: anthropicMessagesFamily },
  { pattern: /^(?:[a-z]{2,6}\.)?meta\.llama/, family: metaLlamaFamily },
  { pattern: /^(?:[a-z]{2,6}\.)?amazon\.nova-(?!canvas|reel|sonic)/, family: amazonNovaFamily },
  { pattern: /^(?:[a-z]{2,6}\.)?amazon\.titan-text/, family: amazonTitanTextFamily },
];

export function isLocalModelId(modelId: string): boolean {
  // A provisioned throughput on Strata always serves a local model (a custom model or a local base model).
  return (
    /^(strata|local)\./.test(modelId) ||
    /^arn:aws[a-z-]*:bedrock:[^:]*:\d{12}:provisioned-model\//.test(modelId)
  );
}

/**
 * @param modelId the id whose format applies: a local model's id, or the Bedrock id an alias stands in for.
 * @param body the request body, already JSON-parsed.
 */
export function detectNativeFamily(modelId: string, body: unknown): NativeFamily {
  if (!isLocalModelId(modelId)) {
    const known = familiesByModelId.find(({ pattern }) => pattern.test(modelId));
    if (known) return known.family;
    throw new ValidationException(
      `InvokeModel on ${modelId} served by a local model is not supported: Strata translates the native bodies of ` +
        "Anthropic Claude, Meta Llama, Amazon Nova and Amazon Titan Text models. Use Converse for other models.",
    );
  }
  const sniffed = isBodyObject(body)
    ? sniffedFamilies.find(({ field }) => body[field] !== undefined)
    : undefined;
  if (sniffed) return sniffed.family;
  throw new ValidationException(
    `Malformed input request: the body of a request to the local model ${modelId} must be one of these native ` +
      `formats: ${sniffedFamilies.map(({ family }) => family.shape).join("; ")}.`,
  );
}
