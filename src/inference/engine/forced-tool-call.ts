// toolChoice "any" or a named tool: the model must call a tool, so its answer is generated under a grammar
// built from the tool's JSON Schema (llama.cpp's GBNF sampling) — a real, schema-valid call from any model,
// whether or not it was trained for tool use.
import { randomUUID } from "node:crypto";
import { type ChatWrapper, type Llama, LlamaChat, type LlamaContextSequence } from "node-llama-cpp";
import { toChatHistory } from "./chat-history.js";
import { EngineError, type Prompt, type ToolCall, type ToolChoice } from "./inference-engine.js";

// The JSON Schema keywords node-llama-cpp's grammar generator understands; others (titles, formats, $schema…)
// only describe and are dropped rather than failing the call.
const supportedKeywords = new Set([
  "type",
  "properties",
  "required",
  "items",
  "prefixItems",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "additionalProperties",
  "description",
]);

export function grammarSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(grammarSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!supportedKeywords.has(key)) continue;
    if (key === "properties" && typeof value === "object" && value !== null) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [name, grammarSchema(property)]),
      );
    } else if (key === "enum" || key === "const" || key === "description" || key === "required") {
      result[key] = value;
    } else {
      result[key] = grammarSchema(value);
    }
  }
  return result;
}

export async function generateForcedToolCall(options: {
  llama: Llama;
  sequence: LlamaContextSequence;
  chatWrapper: ChatWrapper;
  prompt: Extract<Prompt, { kind: "chat" }>;
  toolChoice: Exclude<ToolChoice, { kind: "auto" }>;
  sampling: Record<string, unknown>;
}): Promise<ToolCall | undefined> {
  const tools = options.prompt.tools ?? [];
  const chosen =
    options.toolChoice.kind === "tool"
      ? tools.filter((tool) => tool.name === (options.toolChoice as { name: string }).name)
      : tools;
  const only = chosen.length === 1 ? chosen[0] : undefined;
  const schema = only
    ? grammarSchema(only.inputSchema)
    : {
        oneOf: chosen.map((tool) => ({
          type: "object",
          properties: { name: { const: tool.name }, input: grammarSchema(tool.inputSchema) },
          required: ["name", "input"],
        })),
      };
  let grammar: Awaited<ReturnType<Llama["createGrammarForJsonSchema"]>>;
  try {
    grammar = await options.llama.createGrammarForJsonSchema(schema as never);
  } catch (error) {
    throw new EngineError(
      "unsupported",
      `The tool input schema cannot be turned into a grammar: ${(error as Error).message}`,
    );
  }
  const chat = new LlamaChat({
    contextSequence: options.sequence,
    chatWrapper: options.chatWrapper,
    autoDisposeSequence: false,
  });
  try {
    const response = await chat.generateResponse(
      toChatHistory(options.prompt.system, options.prompt.messages),
      {
        ...options.sampling,
        grammar,
      },
    );
    if (response.metadata.stopReason === "maxTokens") return undefined;
    let parsed: unknown;
    try {
      parsed = grammar.parse(response.response);
    } catch {
      return undefined;
    }
    const id = `tooluse_${randomUUID().replaceAll("-", "").slice(0, 22)}`;
    if (only) return { id, name: only.name, input: parsed };
    const call = parsed as { name: string; input: unknown };
    return { id, name: call.name, input: call.input };
  } finally {
    chat.dispose();
  }
}
