// The Converse-shaped conversation — `messages` [{role, content: [{text} | {toolUse} | {toolResult}]}],
// `system` [{text}], `toolConfig {tools: [{toolSpec}], toolChoice}` — as the engine's chat prompt. Amazon
// Nova's native body is this shape (https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema.html),
// and so is CountTokens' `converse` input. Cache points only steer Bedrock's prompt cache: they are skipped.
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
  isBodyObject,
  optionalObject,
  parseBody,
  requiredList,
  requiredString,
  requireObject,
} from "./body-fields.js";

export type ChatPrompt = Extract<Prompt, { kind: "chat" }>;

/** Reads `messages`, `system` and `toolConfig` of `fields`; throws BodyFieldError naming a bad field. */
export function readConverseConversation(fields: BodyObject): ChatPrompt {
  const system = readSystem(fields);
  const toolConfig = readToolConfig(fields);
  return {
    kind: "chat",
    messages: readMessages(fields),
    ...(system === undefined ? {} : { system }),
    ...(toolConfig?.tools.length ? { tools: toolConfig.tools } : {}),
    ...(toolConfig?.tools.length && toolConfig.toolChoice ? { toolChoice: toolConfig.toolChoice } : {}),
  };
}

/** The same, as a success-or-error result (CountTokens' `converse` input). */
export function converseChatPrompt(
  value: unknown,
): { ok: true; prompt: ChatPrompt } | { ok: false; message: string } {
  return parseBody(() => ({ ok: true as const, prompt: readConverseConversation(requireObject(value, "")) }));
}

function readSystem(fields: BodyObject): string | undefined {
  if (fields.system === undefined || fields.system === null) return undefined;
  const texts: string[] = [];
  requiredList(fields, "system").forEach((item, index) => {
    const path = fieldPath("system", index);
    const block = requireObject(item, path);
    if (typeof block.text === "string") texts.push(block.text);
    else if (block.cachePoint === undefined) fail(`${path} must be a {"text": string} block.`);
  });
  return texts.length > 0 ? texts.join("\n") : undefined;
}

function readMessages(fields: BodyObject): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  requiredList(fields, "messages", "", 1).forEach((item, index) => {
    const path = fieldPath("messages", index);
    const message = requireObject(item, path);
    const role = message.role;
    if (role !== "user" && role !== "assistant") {
      fail(`${path}.role must be "user" or "assistant", got ${JSON.stringify(role)}.`);
    }
    const blocks = requiredList(message, "content", path);
    if (role === "assistant") messages.push(assistantMessage(blocks, `${path}.content`, toolNames));
    else messages.push(...userMessages(blocks, `${path}.content`, toolNames));
  });
  return messages;
}

function assistantMessage(blocks: unknown[], path: string, toolNames: Map<string, string>): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  blocks.forEach((item, index) => {
    const blockPath = fieldPath(path, index);
    const block = requireObject(item, blockPath);
    if (typeof block.text === "string") texts.push(block.text);
    else if (isBodyObject(block.toolUse)) {
      const toolUse = block.toolUse;
      const call: ToolCall = {
        id: requiredString(toolUse, "toolUseId", `${blockPath}.toolUse`),
        name: requiredString(toolUse, "name", `${blockPath}.toolUse`),
        input: toolUse.input ?? {},
      };
      toolNames.set(call.id, call.name);
      toolCalls.push(call);
    } else if (block.cachePoint === undefined && block.reasoningContent === undefined) {
      unsupportedBlock(block, blockPath, '{"text"} or {"toolUse"}');
    }
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
    if (typeof block.text === "string") texts.push(block.text);
    else if (isBodyObject(block.toolResult)) {
      flushText();
      const resultPath = `${blockPath}.toolResult`;
      const toolResult = block.toolResult;
      const toolCallId = requiredString(toolResult, "toolUseId", resultPath);
      const toolName = toolNames.get(toolCallId);
      if (toolName === undefined) {
        fail(
          `${resultPath}.toolUseId ${JSON.stringify(toolCallId)} names no toolUse block of an earlier message.`,
        );
      }
      const status = toolResult.status;
      if (status !== undefined && status !== "success" && status !== "error") {
        fail(`${resultPath}.status must be "success" or "error", got ${JSON.stringify(status)}.`);
      }
      messages.push({
        role: "tool",
        toolCallId,
        toolName,
        result: toolResultText(requiredList(toolResult, "content", resultPath), `${resultPath}.content`),
        ...(status === "error" ? { isError: true } : {}),
      });
    } else if (block.cachePoint === undefined) {
      unsupportedBlock(block, blockPath, '{"text"} or {"toolResult"}');
    }
  });
  flushText();
  return messages;
}

function toolResultText(content: unknown[], path: string): string {
  return content
    .map((item, index) => {
      const blockPath = fieldPath(path, index);
      const block = requireObject(item, blockPath);
      if (typeof block.text === "string") return block.text;
      if (block.json !== undefined) return JSON.stringify(block.json);
      return unsupportedBlock(block, blockPath, '{"text"} or {"json"}');
    })
    .join("\n");
}

const mediaBlocks = ["image", "document", "video", "audio"];

function unsupportedBlock(block: BodyObject, path: string, accepted: string): never {
  const media = mediaBlocks.find((kind) => block[kind] !== undefined);
  if (media) fail(`${path}.${media} is not supported: local models take text only.`);
  fail(`${path} must be a ${accepted} block, got keys ${JSON.stringify(Object.keys(block))}.`);
}

function readToolConfig(
  fields: BodyObject,
): { tools: ToolDefinition[]; toolChoice?: ToolChoice } | undefined {
  const config = optionalObject(fields, "toolConfig");
  if (!config) return undefined;
  const tools: ToolDefinition[] = [];
  requiredList(config, "tools", "toolConfig", 1).forEach((item, index) => {
    const path = fieldPath("toolConfig.tools", index);
    const tool = requireObject(item, path);
    if (tool.cachePoint !== undefined) return;
    const specPath = `${path}.toolSpec`;
    const spec = requireObject(tool.toolSpec, specPath);
    const name = requiredString(spec, "name", specPath);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      fail(`${specPath}.name must match [a-zA-Z0-9_-]{1,64}, got ${JSON.stringify(name)}.`);
    }
    const description = spec.description;
    if (description !== undefined && typeof description !== "string")
      fail(`${specPath}.description must be a string.`);
    const schema = requireObject(spec.inputSchema, `${specPath}.inputSchema`);
    const inputSchema = requireObject(schema.json, `${specPath}.inputSchema.json`);
    tools.push({ name, inputSchema, ...(description ? { description } : {}) });
  });
  const choice = optionalObject(config, "toolChoice", "toolConfig");
  if (!choice) return { tools };
  if (choice.auto !== undefined) return { tools, toolChoice: { kind: "auto" } };
  if (choice.any !== undefined) return { tools, toolChoice: { kind: "any" } };
  if (choice.tool !== undefined) {
    const name = requiredString(
      requireObject(choice.tool, "toolConfig.toolChoice.tool"),
      "name",
      "toolConfig.toolChoice.tool",
    );
    if (!tools.some((tool) => tool.name === name)) {
      fail(`toolConfig.toolChoice.tool.name ${JSON.stringify(name)} names no tool in toolConfig.tools.`);
    }
    return { tools, toolChoice: { kind: "tool", name } };
  }
  fail('toolConfig.toolChoice must be {"auto": {}}, {"any": {}} or {"tool": {"name"}}.');
}
