// Anthropic Claude's Messages body as Bedrock takes it. Request: `anthropic_version` "bedrock-2023-05-31"
// (required), `max_tokens` (required), `messages` (string or content-block content: text, tool_use,
// tool_result), optional `system`, `temperature` (0–1), `top_p` (0–1), `top_k` (0–500), `stop_sequences`,
// `tools`, `tool_choice`. Response: the Messages object {id, type, role, model, content, stop_reason,
// stop_sequence, usage}. Stream: message_start, content_block_start/delta/stop per block, message_delta,
// message_stop. https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
// and https://docs.anthropic.com/en/api/messages-streaming
import type {
  ChatMessage,
  Prompt,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from "../engine/inference-engine.js";
import {
  type BodyObject,
  fail,
  fieldPath,
  optionalInteger,
  optionalNumber,
  optionalStopSequences,
  parseBody,
  requiredInteger,
  requiredList,
  requiredString,
  requireObject,
  samplingFrom,
} from "./body-fields.js";
import type {
  CollectedGeneration,
  NativeChunk,
  NativeFamily,
  NativeRequestLimits,
  NativeResponseContext,
  NativeStreamContext,
  NativeStreamTranslator,
  ParsedNativeRequest,
} from "./native-family.js";

export const anthropicBedrockVersion = "bedrock-2023-05-31";

export function parseAnthropicRequest(body: unknown, limits: NativeRequestLimits = {}): ParsedNativeRequest {
  return parseBody(() => {
    const fields = requireObject(body, "");
    const version = fields.anthropic_version;
    if (version !== anthropicBedrockVersion) {
      fail(
        version === undefined
          ? `anthropic_version is required and must be "${anthropicBedrockVersion}".`
          : `anthropic_version must be "${anthropicBedrockVersion}", got ${JSON.stringify(version)}.`,
      );
    }
    const maxTokens = requiredInteger(fields, "max_tokens", {
      min: 1,
      ...(limits.maxOutputTokens === undefined ? {} : { max: limits.maxOutputTokens }),
    });
    const tools = readTools(fields);
    const toolChoice = readToolChoice(fields, tools);
    const system = readSystem(fields);
    const prompt: Prompt = {
      kind: "chat",
      messages: readMessages(fields),
      ...(system === undefined ? {} : { system }),
      // tool_choice "none" keeps the tools out of the prompt: the model may not call them.
      ...(tools.length > 0 && toolChoice !== "none" ? { tools } : {}),
      ...(tools.length > 0 && toolChoice !== undefined && toolChoice !== "none" ? { toolChoice } : {}),
    };
    return {
      ok: true,
      prompt,
      sampling: samplingFrom({
        maxTokens,
        temperature: optionalNumber(fields, "temperature", { min: 0, max: 1 }),
        topP: optionalNumber(fields, "top_p", { min: 0, max: 1 }),
        topK: optionalInteger(fields, "top_k", { min: 0, max: 500 }),
        stopSequences: optionalStopSequences(fields, "stop_sequences"),
      }),
    };
  });
}

function readSystem(fields: BodyObject): string | undefined {
  const system = fields.system;
  if (system === undefined || system === null) return undefined;
  if (typeof system === "string") return system.length > 0 ? system : undefined;
  if (!Array.isArray(system)) fail("system must be a string or a list of text blocks.");
  const texts = system.map((block, index) => textOfTextBlock(block, fieldPath("system", index)));
  return texts.length > 0 ? texts.join("\n") : undefined;
}

function textOfTextBlock(block: unknown, path: string): string {
  const fields = requireObject(block, path);
  if (fields.type !== "text") fail(`${path}.type must be "text", got ${JSON.stringify(fields.type)}.`);
  return requiredString(fields, "text", path);
}

function readMessages(fields: BodyObject): ChatMessage[] {
  const list = requiredList(fields, "messages", "", 1);
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  list.forEach((item, index) => {
    const path = fieldPath("messages", index);
    const message = requireObject(item, path);
    const role = message.role;
    if (role !== "user" && role !== "assistant") {
      fail(`${path}.role must be "user" or "assistant", got ${JSON.stringify(role)}.`);
    }
    const content = message.content;
    if (typeof content === "string") {
      messages.push({ role, text: content });
      return;
    }
    if (!Array.isArray(content)) fail(`${path}.content must be a string or a list of content blocks.`);
    if (role === "assistant") messages.push(assistantMessage(content, `${path}.content`, toolNames));
    else messages.push(...userMessages(content, `${path}.content`, toolNames));
  });
  return messages;
}

const userBlockTypes = '"text" or "tool_result"';
const assistantBlockTypes = '"text" or "tool_use"';

function assistantMessage(blocks: unknown[], path: string, toolNames: Map<string, string>): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  blocks.forEach((item, index) => {
    const blockPath = fieldPath(path, index);
    const block = requireObject(item, blockPath);
    if (block.type === "text") texts.push(requiredString(block, "text", blockPath));
    else if (block.type === "tool_use") {
      const call: ToolCall = {
        id: requiredString(block, "id", blockPath),
        name: requiredString(block, "name", blockPath),
        input: block.input ?? {},
      };
      toolNames.set(call.id, call.name);
      toolCalls.push(call);
    } else unsupportedBlock(block, blockPath, assistantBlockTypes);
  });
  return { role: "assistant", text: texts.join("\n"), ...(toolCalls.length > 0 ? { toolCalls } : {}) };
}

function userMessages(blocks: unknown[], path: string, toolNames: Map<string, string>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let texts: string[] = [];
  const flushText = () => {
    if (texts.length > 0) messages.push({ role: "user", text: texts.join("\n") });
    texts = [];
  };
  blocks.forEach((item, index) => {
    const blockPath = fieldPath(path, index);
    const block = requireObject(item, blockPath);
    if (block.type === "text") texts.push(requiredString(block, "text", blockPath));
    else if (block.type === "tool_result") {
      flushText();
      const toolCallId = requiredString(block, "tool_use_id", blockPath);
      const toolName = toolNames.get(toolCallId);
      if (toolName === undefined) {
        fail(
          `${blockPath}.tool_use_id ${JSON.stringify(toolCallId)} names no tool_use block of an earlier message.`,
        );
      }
      const isError = block.is_error;
      if (isError !== undefined && typeof isError !== "boolean")
        fail(`${blockPath}.is_error must be a boolean.`);
      messages.push({
        role: "tool",
        toolCallId,
        toolName,
        result: toolResultText(block.content, `${blockPath}.content`),
        ...(isError === true ? { isError } : {}),
      });
    } else unsupportedBlock(block, blockPath, userBlockTypes);
  });
  flushText();
  return messages;
}

function toolResultText(content: unknown, path: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) fail(`${path} must be a string or a list of text blocks.`);
  return content.map((block, index) => textOfTextBlock(block, fieldPath(path, index))).join("\n");
}

function unsupportedBlock(block: BodyObject, path: string, accepted: string): never {
  if (block.type === "image" || block.type === "document") {
    fail(`${path}.type ${JSON.stringify(block.type)} is not supported: local models take text only.`);
  }
  fail(`${path}.type must be ${accepted}, got ${JSON.stringify(block.type)}.`);
}

function readTools(fields: BodyObject): ToolDefinition[] {
  if (fields.tools === undefined || fields.tools === null) return [];
  return requiredList(fields, "tools").map((item, index) => {
    const path = fieldPath("tools", index);
    const tool = requireObject(item, path);
    const name = requiredString(tool, "name", path);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      fail(`${path}.name must match [a-zA-Z0-9_-]{1,64}, got ${JSON.stringify(name)}.`);
    const description = tool.description;
    if (description !== undefined && typeof description !== "string")
      fail(`${path}.description must be a string.`);
    const inputSchema = requireObject(tool.input_schema, `${path}.input_schema`);
    return { name, inputSchema, ...(description ? { description } : {}) };
  });
}

function readToolChoice(fields: BodyObject, tools: ToolDefinition[]): ToolChoice | "none" | undefined {
  if (fields.tool_choice === undefined || fields.tool_choice === null) return undefined;
  const choice = requireObject(fields.tool_choice, "tool_choice");
  if (tools.length === 0 && choice.type !== "none") fail("tool_choice needs tools.");
  switch (choice.type) {
    case "auto":
      return { kind: "auto" };
    case "any":
      return { kind: "any" };
    case "none":
      return "none";
    case "tool": {
      const name = requiredString(choice, "name", "tool_choice");
      if (!tools.some((tool) => tool.name === name))
        fail(`tool_choice.name ${JSON.stringify(name)} names no tool in tools.`);
      return { kind: "tool", name };
    }
    default:
      fail(`tool_choice.type must be "auto", "any", "tool" or "none", got ${JSON.stringify(choice.type)}.`);
  }
}

/** Anthropic on Bedrock names its messages msg_bdrk_…; the request id makes the id unique and traceable. */
export function anthropicMessageId(requestId: string): string {
  return `msg_bdrk_${requestId.replaceAll("-", "")}`;
}

export function anthropicResponseBody(
  generation: CollectedGeneration,
  context: NativeResponseContext,
): NativeChunk {
  const content: NativeChunk[] = [];
  if (generation.text.length > 0 || generation.toolCalls.length === 0) {
    content.push({ type: "text", text: generation.text });
  }
  for (const call of generation.toolCalls) {
    content.push({ type: "tool_use", id: call.id, name: call.name, input: call.input });
  }
  return {
    id: anthropicMessageId(context.requestId),
    type: "message",
    role: "assistant",
    model: context.modelId,
    content,
    stop_reason: generation.end.stopReason,
    stop_sequence: generation.end.stopSequence ?? null,
    usage: {
      input_tokens: generation.end.usage.inputTokens,
      output_tokens: generation.end.usage.outputTokens,
    },
  };
}

export function createAnthropicStream(context: NativeStreamContext): NativeStreamTranslator {
  let started = false;
  let blockCount = 0;
  let openTextBlock: number | undefined;
  const start = (): NativeChunk[] => {
    if (started) return [];
    started = true;
    return [
      {
        type: "message_start",
        message: {
          id: anthropicMessageId(context.requestId),
          type: "message",
          role: "assistant",
          model: context.modelId,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: context.inputTokens, output_tokens: 0 },
        },
      },
    ];
  };
  const closeText = (): NativeChunk[] => {
    if (openTextBlock === undefined) return [];
    const index = openTextBlock;
    openTextBlock = undefined;
    return [{ type: "content_block_stop", index }];
  };
  return {
    translate(event) {
      const chunks = start();
      if (event.type === "text") {
        if (openTextBlock === undefined) {
          openTextBlock = blockCount++;
          chunks.push({
            type: "content_block_start",
            index: openTextBlock,
            content_block: { type: "text", text: "" },
          });
        }
        chunks.push({
          type: "content_block_delta",
          index: openTextBlock,
          delta: { type: "text_delta", text: event.text },
        });
        return chunks;
      }
      chunks.push(...closeText());
      if (event.type === "toolCall") {
        const index = blockCount++;
        const { id, name, input } = event.toolCall;
        chunks.push(
          { type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {} } },
          {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(input) },
          },
          { type: "content_block_stop", index },
        );
        return chunks;
      }
      chunks.push(
        {
          type: "message_delta",
          delta: { stop_reason: event.stopReason, stop_sequence: event.stopSequence ?? null },
          usage: { output_tokens: event.usage.outputTokens },
        },
        { type: "message_stop" },
      );
      return chunks;
    },
  };
}

export const anthropicMessagesFamily: NativeFamily = {
  name: "anthropic-messages",
  shape: `Anthropic Messages {"anthropic_version": "${anthropicBedrockVersion}", "max_tokens", "messages"}`,
  parseRequest: parseAnthropicRequest,
  responseBody: anthropicResponseBody,
  createStream: createAnthropicStream,
};
