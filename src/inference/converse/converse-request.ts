// Bedrock's Converse request (already decoded and validated against the service model by the dispatcher) as
// the engine's chat prompt and sampling options, checked against what the model can do.
import { ValidationException } from "../../protocol/aws-errors.js";
import type { ConverseRequest } from "../../protocol/generated/bedrock-runtime-types.js";
import type {
  ChatMessage,
  Prompt,
  SamplingOptions,
  ToolChoice,
  ToolDefinition,
} from "../engine/inference-engine.js";
import type { RequestedCapabilities } from "../resolve-runtime-model.js";

export interface TranslatedConverse {
  prompt: Extract<Prompt, { kind: "chat" }>;
  sampling: SamplingOptions;
  requested: RequestedCapabilities;
}

/** The converse fields shared by Converse, ConverseStream and CountTokens. */
export type ConverseFields = Pick<
  ConverseRequest,
  "messages" | "system" | "inferenceConfig" | "toolConfig" | "additionalModelRequestFields"
>;

function textOfToolResult(content: readonly Record<string, unknown>[]): string {
  return content
    .map((block) =>
      typeof block.text === "string"
        ? block.text
        : block.json !== undefined
          ? JSON.stringify(block.json)
          : "",
    )
    .join("\n");
}

function numberField(
  fields: Record<string, unknown>,
  names: readonly string[],
  range: [number, number],
): number | undefined {
  for (const name of names) {
    const value = fields[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < range[0] || value > range[1]) {
      throw new ValidationException(
        `additionalModelRequestFields.${name} must be a number from ${range[0]} to ${range[1]}, got ${JSON.stringify(value)}.`,
      );
    }
    return value;
  }
  return undefined;
}

export function translateConverse(input: ConverseFields, defaultMaxTokens: number): TranslatedConverse {
  const requested: RequestedCapabilities = {};
  const messages: ChatMessage[] = [];
  for (const [messageIndex, message] of (input.messages ?? []).entries()) {
    if (message.role !== "user" && message.role !== "assistant") {
      throw new ValidationException(
        `messages.${messageIndex + 1}.role must be user or assistant, not ${message.role}.`,
      );
    }
    const texts: string[] = [];
    const toolCalls: { id: string; name: string; input: unknown }[] = [];
    for (const block of message.content) {
      if (block.text !== undefined) texts.push(block.text);
      else if (block.image) requested.image = true;
      else if (block.document) requested.document = true;
      else if (block.video) requested.video = true;
      else if (block.toolUse) {
        requested.tools = true;
        toolCalls.push({ id: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input });
      } else if (block.toolResult) {
        requested.tools = true;
        const toolName = findToolName(input, block.toolResult.toolUseId);
        messages.push({
          role: "tool",
          toolCallId: block.toolResult.toolUseId,
          toolName,
          result: textOfToolResult(block.toolResult.content as unknown as Record<string, unknown>[]),
          ...(block.toolResult.status === "error" ? { isError: true } : {}),
        });
      }
    }
    if (message.role === "user") {
      // A turn of images or documents only still counts as a turn: the capability check refuses it by name.
      const onlyToolResults = message.content.every((block) => block.toolResult !== undefined);
      if (!onlyToolResults) messages.push({ role: "user", text: texts.join("\n") });
    } else {
      messages.push({
        role: "assistant",
        text: texts.join("\n"),
        ...(toolCalls.length ? { toolCalls } : {}),
      });
    }
  }
  if (messages.length === 0)
    throw new ValidationException(
      "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    );

  const system = (input.system ?? [])
    .map((block) => block.text)
    .filter((text): text is string => typeof text === "string")
    .join("\n");

  let tools: ToolDefinition[] | undefined;
  let toolChoice: ToolChoice | undefined;
  if (input.toolConfig) {
    requested.tools = true;
    tools = input.toolConfig.tools.flatMap((tool) =>
      tool.toolSpec
        ? [
            {
              name: tool.toolSpec.name,
              ...(tool.toolSpec.description ? { description: tool.toolSpec.description } : {}),
              inputSchema: (tool.toolSpec.inputSchema.json ?? { type: "object" }) as Record<string, unknown>,
            },
          ]
        : [],
    );
    const choice = input.toolConfig.toolChoice;
    if (choice?.any) toolChoice = { kind: "any" };
    else if (choice?.tool) {
      const name = choice.tool.name;
      if (!tools.some((tool) => tool.name === name)) {
        throw new ValidationException(
          `toolConfig.toolChoice.tool.name ${name} is not one of the tools in toolConfig.tools.`,
        );
      }
      toolChoice = { kind: "tool", name };
    } else toolChoice = { kind: "auto" };
  }

  const additional = (input.additionalModelRequestFields ?? {}) as Record<string, unknown>;
  const topK = numberField(additional, ["top_k", "topK"], [1, 500]);
  const seed = numberField(additional, ["seed"], [0, 2 ** 31 - 1]);
  const config = input.inferenceConfig ?? {};
  const sampling: SamplingOptions = {
    maxTokens: config.maxTokens ?? defaultMaxTokens,
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.topP !== undefined ? { topP: config.topP } : {}),
    ...(config.stopSequences?.length ? { stopSequences: config.stopSequences } : {}),
    ...(topK !== undefined ? { topK } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  return {
    prompt: {
      kind: "chat",
      ...(system ? { system } : {}),
      messages,
      ...(tools ? { tools } : {}),
      ...(toolChoice ? { toolChoice } : {}),
    },
    sampling,
    requested,
  };
}

function findToolName(input: ConverseFields, toolUseId: string): string {
  for (const message of input.messages ?? []) {
    for (const block of message.content)
      if (block.toolUse?.toolUseId === toolUseId) return block.toolUse.name;
  }
  return "tool";
}
