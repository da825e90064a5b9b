// Validates a /v1/chat/completions body and translates it to the engine's chat prompt: system and developer
// messages become the system prompt, tool results are matched to the assistant tool call they answer (the
// engine's templates need the tool's name), and tools/tool_choice map onto the engine's (`required` → any).
import type {
  ChatMessage,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from "../inference/engine/inference-engine.js";
import { invalidRequest } from "./openai-error.js";
import {
  type GenerationFields,
  parseGenerationFields,
  parseMaximumTokens,
} from "./parse-generation-fields.js";
import {
  isJsonObject,
  optionalField,
  optionalString,
  type ParseResult,
  parseWith,
  requireArray,
  requiredField,
  requireObject,
  requireString,
  typeError,
  unsupportedError,
  valueError,
} from "./request-fields.js";

/** Content a chat message may carry that local models cannot read; named in the error once the model is known. */
export type NonTextModality = "image" | "audio" | "file";

export interface ChatCompletionRequest extends GenerationFields {
  maxTokens?: number;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Non-text content parts found in the messages, in order of first appearance. */
  nonTextModalities: NonTextModality[];
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export function parseChatCompletionRequest(body: unknown): ParseResult<ChatCompletionRequest> {
  return parseWith(() => {
    const object = requireObject(body, "body");
    const fields = parseGenerationFields(object);
    for (const legacy of ["functions", "function_call"]) {
      if (optionalField(object, legacy) !== undefined) {
        throw unsupportedError(
          legacy,
          `'${legacy}' is deprecated and not supported: use 'tools' and 'tool_choice'.`,
        );
      }
    }
    if (optionalField(object, "logprobs") === true) {
      throw unsupportedError(
        "logprobs",
        "Strata does not return log probabilities: 'logprobs' must be false.",
      );
    }
    parseResponseFormat(optionalField(object, "response_format"));
    const maxTokens = parseMaximumTokens(object, ["max_completion_tokens", "max_tokens"]);
    const conversation = parseMessages(requiredField(object, "messages"));
    const tools = parseTools(optionalField(object, "tools"));
    const choice = parseToolChoice(optionalField(object, "tool_choice"), tools);
    // "none" forbids tool calls: the engine then sees no tools at all, so its template cannot offer any.
    const offerTools = tools !== undefined && tools.length > 0 && choice !== "none";
    return {
      ...fields,
      ...(maxTokens === undefined ? {} : { maxTokens }),
      ...(conversation.system === undefined ? {} : { system: conversation.system }),
      messages: conversation.messages,
      ...(offerTools ? { tools } : {}),
      ...(offerTools && choice !== undefined ? { toolChoice: choice } : {}),
      nonTextModalities: conversation.nonTextModalities,
    };
  });
}

function parseResponseFormat(value: unknown): void {
  if (value === undefined) return;
  const format = requireObject(value, "response_format");
  const type = requireString(requiredField(format, "type", "response_format.type"), "response_format.type");
  if (type !== "text") {
    throw unsupportedError(
      "response_format",
      `response_format '${type}' is not supported: Strata's local models answer with free text only.`,
    );
  }
}

interface Conversation {
  system?: string;
  messages: ChatMessage[];
  nonTextModalities: NonTextModality[];
}

function parseMessages(value: unknown): Conversation {
  const list = requireArray(value, "messages");
  if (list.length === 0)
    throw valueError("messages", "expected an array with minimum length 1, but got an empty array instead.");
  const systemParts: string[] = [];
  const messages: ChatMessage[] = [];
  const nonTextModalities = new Set<NonTextModality>();
  // Tool results name only the call id; the templates want the tool's name, which the assistant turn holds.
  const toolNamesByCallId = new Map<string, string>();
  for (const [index, item] of list.entries()) {
    const param = `messages[${index}]`;
    const message = requireObject(item, param);
    const role = requireString(requiredField(message, "role", `${param}.role`), `${param}.role`);
    switch (role) {
      case "system":
      case "developer":
        systemParts.push(
          textContent(requiredField(message, "content", `${param}.content`), `${param}.content`),
        );
        break;
      case "user": {
        const content = requiredField(message, "content", `${param}.content`);
        messages.push({ role: "user", text: userContent(content, `${param}.content`, nonTextModalities) });
        break;
      }
      case "assistant": {
        const toolCalls = parseToolCalls(optionalField(message, "tool_calls"), `${param}.tool_calls`);
        const content = optionalField(message, "content");
        if (content === undefined && toolCalls === undefined) {
          throw invalidRequest(
            `Missing required parameter: '${param}.content' (an assistant message needs content or tool_calls).`,
            `${param}.content`,
            "missing_required_parameter",
          );
        }
        for (const call of toolCalls ?? []) toolNamesByCallId.set(call.id, call.name);
        messages.push({
          role: "assistant",
          text: content === undefined ? "" : textContent(content, `${param}.content`, ["text", "refusal"]),
          ...(toolCalls === undefined ? {} : { toolCalls }),
        });
        break;
      }
      case "tool": {
        const idParam = `${param}.tool_call_id`;
        const toolCallId = requireString(requiredField(message, "tool_call_id", idParam), idParam);
        const toolName = toolNamesByCallId.get(toolCallId);
        if (toolName === undefined) {
          throw valueError(
            idParam,
            `'${toolCallId}' does not answer a tool call of an earlier assistant message.`,
          );
        }
        const result = textContent(requiredField(message, "content", `${param}.content`), `${param}.content`);
        messages.push({ role: "tool", toolCallId, toolName, result });
        break;
      }
      case "function":
        throw unsupportedError(
          `${param}.role`,
          "The 'function' role is deprecated and not supported: use 'tool'.",
        );
      default:
        throw valueError(
          `${param}.role`,
          `expected one of 'system', 'developer', 'user', 'assistant' or 'tool', but got '${role}'.`,
        );
    }
  }
  return {
    ...(systemParts.length === 0 ? {} : { system: systemParts.join("\n\n") }),
    messages,
    nonTextModalities: [...nonTextModalities],
  };
}

/** A string, or an array of text parts (for system, developer, assistant and tool messages). */
function textContent(value: unknown, param: string, partTypes: readonly string[] = ["text"]): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) throw typeError(param, "a string or an array of content parts", value);
  return value
    .map((item, index) => {
      const partParam = `${param}[${index}]`;
      const part = requireObject(item, partParam);
      const type = requireString(requiredField(part, "type", `${partParam}.type`), `${partParam}.type`);
      if (!partTypes.includes(type)) {
        throw valueError(
          `${partParam}.type`,
          `expected ${partTypes.map((name) => `'${name}'`).join(" or ")}, but got '${type}'.`,
        );
      }
      return requireString(requiredField(part, type, `${partParam}.${type}`), `${partParam}.${type}`);
    })
    .join("\n");
}

const nonTextPartTypes: Readonly<Record<string, NonTextModality>> = {
  image_url: "image",
  input_audio: "audio",
  file: "file",
};

/** User content may also hold image, audio and file parts: noted, so the error can name the model. */
function userContent(value: unknown, param: string, nonTextModalities: Set<NonTextModality>): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) throw typeError(param, "a string or an array of content parts", value);
  const texts: string[] = [];
  for (const [index, item] of value.entries()) {
    const partParam = `${param}[${index}]`;
    const part = requireObject(item, partParam);
    const type = requireString(requiredField(part, "type", `${partParam}.type`), `${partParam}.type`);
    const modality = nonTextPartTypes[type];
    if (modality !== undefined) {
      requireObject(requiredField(part, type, `${partParam}.${type}`), `${partParam}.${type}`);
      nonTextModalities.add(modality);
    } else if (type === "text") {
      texts.push(requireString(requiredField(part, "text", `${partParam}.text`), `${partParam}.text`));
    } else {
      throw valueError(
        `${partParam}.type`,
        `expected 'text', 'image_url', 'input_audio' or 'file', but got '${type}'.`,
      );
    }
  }
  return texts.join("\n");
}

function parseToolCalls(value: unknown, param: string): ToolCall[] | undefined {
  if (value === undefined) return undefined;
  const calls = requireArray(value, param).map((item, index): ToolCall => {
    const callParam = `${param}[${index}]`;
    const call = requireObject(item, callParam);
    const id = requireString(requiredField(call, "id", `${callParam}.id`), `${callParam}.id`);
    const type = optionalString(call, "type", `${callParam}.type`) ?? "function";
    if (type !== "function") throw valueError(`${callParam}.type`, `expected 'function', but got '${type}'.`);
    const fn = requireObject(
      requiredField(call, "function", `${callParam}.function`),
      `${callParam}.function`,
    );
    const name = requireString(
      requiredField(fn, "name", `${callParam}.function.name`),
      `${callParam}.function.name`,
    );
    const argumentsText = requireString(
      requiredField(fn, "arguments", `${callParam}.function.arguments`),
      `${callParam}.function.arguments`,
    );
    return { id, name, input: parseArguments(argumentsText) };
  });
  return calls.length === 0 ? undefined : calls;
}

/** Arguments travel as JSON text; a model may have produced invalid JSON, which is passed on unchanged. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined) return undefined;
  const names = new Set<string>();
  return requireArray(value, "tools").map((item, index): ToolDefinition => {
    const param = `tools[${index}]`;
    const tool = requireObject(item, param);
    const type = requireString(requiredField(tool, "type", `${param}.type`), `${param}.type`);
    if (type !== "function") throw valueError(`${param}.type`, `expected 'function', but got '${type}'.`);
    const fn = requireObject(requiredField(tool, "function", `${param}.function`), `${param}.function`);
    const name = requireString(requiredField(fn, "name", `${param}.function.name`), `${param}.function.name`);
    if (!toolNamePattern.test(name)) {
      throw valueError(
        `${param}.function.name`,
        "expected 1 to 64 characters of a-z, A-Z, 0-9, '_' and '-'.",
      );
    }
    if (names.has(name)) throw valueError(`${param}.function.name`, `the tool name '${name}' is used twice.`);
    names.add(name);
    const description = optionalString(fn, "description", `${param}.function.description`);
    const parameters = optionalField(fn, "parameters");
    return {
      name,
      ...(description === undefined ? {} : { description }),
      // OpenAI allows omitting parameters for a function that takes none.
      inputSchema:
        parameters === undefined
          ? { type: "object", properties: {} }
          : requireObject(parameters, `${param}.function.parameters`),
    };
  });
}

function parseToolChoice(
  value: unknown,
  tools: ToolDefinition[] | undefined,
): ToolChoice | "none" | undefined {
  if (value === undefined) return undefined;
  if (tools === undefined || tools.length === 0) {
    throw valueError("tool_choice", "'tool_choice' is only allowed when 'tools' are specified.");
  }
  if (typeof value === "string") {
    switch (value) {
      case "none":
        return "none";
      case "auto":
        return { kind: "auto" };
      case "required":
        return { kind: "any" };
      default:
        throw valueError("tool_choice", `expected 'none', 'auto' or 'required', but got '${value}'.`);
    }
  }
  if (!isJsonObject(value)) throw typeError("tool_choice", "a string or an object", value);
  const type = requireString(requiredField(value, "type", "tool_choice.type"), "tool_choice.type");
  if (type !== "function") throw valueError("tool_choice.type", `expected 'function', but got '${type}'.`);
  const fn = requireObject(requiredField(value, "function", "tool_choice.function"), "tool_choice.function");
  const name = requireString(
    requiredField(fn, "name", "tool_choice.function.name"),
    "tool_choice.function.name",
  );
  if (!tools.some((tool) => tool.name === name)) {
    throw valueError("tool_choice.function.name", `no tool named '${name}' is in 'tools'.`);
  }
  return { kind: "tool", name };
}
