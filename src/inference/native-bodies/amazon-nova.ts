// Amazon Nova's native InvokeModel body: the Converse shape (`messages`, `system`, `toolConfig`) with
// `inferenceConfig {maxTokens | max_new_tokens, temperature (0–1), topP (0–1), topK, stopSequences}`.
// Response: {output: {message: {role, content}}, stopReason, usage {inputTokens, outputTokens, totalTokens}}.
// Stream chunks follow ConverseStream's events: {messageStart}, {contentBlockDelta}, {contentBlockStop},
// {messageStop}, {metadata: {usage}}.
// https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema.html and
// https://docs.aws.amazon.com/nova/latest/userguide/using-invoke-api.html
import {
  fail,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalStopSequences,
  parseBody,
  requireObject,
  samplingFrom,
} from "./body-fields.js";
import { readConverseConversation } from "./converse-conversation.js";
import type {
  CollectedGeneration,
  NativeChunk,
  NativeFamily,
  NativeRequestLimits,
  NativeStreamContext,
  NativeStreamTranslator,
  ParsedNativeRequest,
} from "./native-family.js";

/** Nova Micro/Lite/Pro's output limit; a Nova model in the catalog brings its own. */
const defaultMaxOutputTokens = 10_000;

export function parseNovaRequest(body: unknown, limits: NativeRequestLimits = {}): ParsedNativeRequest {
  return parseBody(() => {
    const fields = requireObject(body, "");
    if (fields.schemaVersion !== undefined && fields.schemaVersion !== "messages-v1") {
      fail(`schemaVersion must be "messages-v1", got ${JSON.stringify(fields.schemaVersion)}.`);
    }
    const prompt = readConverseConversation(fields);
    const config = optionalObject(fields, "inferenceConfig") ?? {};
    const prefix = "inferenceConfig";
    const range = { min: 1, max: limits.maxOutputTokens ?? defaultMaxOutputTokens };
    // Nova's documents use both spellings: maxTokens (as in Converse) and max_new_tokens (older samples).
    const maxTokens = optionalInteger(config, "maxTokens", range, prefix);
    const maxNewTokens = optionalInteger(config, "max_new_tokens", range, prefix);
    if (maxTokens !== undefined && maxNewTokens !== undefined) {
      fail("inferenceConfig takes maxTokens or max_new_tokens, not both.");
    }
    return {
      ok: true,
      prompt,
      sampling: samplingFrom({
        // Nova's own default is model-dependent; a local model generates at most 512 unless asked, like
        // the other families.
        maxTokens: maxTokens ?? maxNewTokens ?? 512,
        temperature: optionalNumber(config, "temperature", { min: 0, max: 1 }, prefix),
        topP: optionalNumber(config, "topP", { min: 0, max: 1 }, prefix),
        topK: optionalInteger(config, "topK", { min: 0 }, prefix),
        stopSequences: optionalStopSequences(config, "stopSequences", prefix),
      }),
    };
  });
}

export function novaResponseBody(generation: CollectedGeneration): NativeChunk {
  const content: NativeChunk[] = [];
  if (generation.text.length > 0 || generation.toolCalls.length === 0)
    content.push({ text: generation.text });
  for (const call of generation.toolCalls) {
    content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.input } });
  }
  const { inputTokens, outputTokens } = generation.end.usage;
  return {
    output: { message: { role: "assistant", content } },
    stopReason: generation.end.stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
  };
}

export function createNovaStream(_context: NativeStreamContext): NativeStreamTranslator {
  let started = false;
  let blockCount = 0;
  let openTextBlock: number | undefined;
  const start = (): NativeChunk[] => {
    if (started) return [];
    started = true;
    return [{ messageStart: { role: "assistant" } }];
  };
  const closeText = (): NativeChunk[] => {
    if (openTextBlock === undefined) return [];
    const contentBlockIndex = openTextBlock;
    openTextBlock = undefined;
    return [{ contentBlockStop: { contentBlockIndex } }];
  };
  return {
    translate(event) {
      const chunks = start();
      if (event.type === "text") {
        openTextBlock ??= blockCount++;
        chunks.push({ contentBlockDelta: { delta: { text: event.text }, contentBlockIndex: openTextBlock } });
        return chunks;
      }
      chunks.push(...closeText());
      if (event.type === "toolCall") {
        const contentBlockIndex = blockCount++;
        const { id, name, input } = event.toolCall;
        chunks.push(
          { contentBlockStart: { start: { toolUse: { toolUseId: id, name } }, contentBlockIndex } },
          { contentBlockDelta: { delta: { toolUse: { input: JSON.stringify(input) } }, contentBlockIndex } },
          { contentBlockStop: { contentBlockIndex } },
        );
        return chunks;
      }
      const { inputTokens, outputTokens } = event.usage;
      chunks.push(
        { messageStop: { stopReason: event.stopReason } },
        { metadata: { usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } } },
      );
      return chunks;
    },
  };
}

export const amazonNovaFamily: NativeFamily = {
  name: "amazon-nova",
  shape: 'Amazon Nova {"messages": [{"role", "content": [{"text"}]}], "system"?, "inferenceConfig"?}',
  parseRequest: parseNovaRequest,
  responseBody: novaResponseBody,
  createStream: createNovaStream,
};
