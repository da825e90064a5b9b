import { expect, it } from "vitest";
import { converseChatPrompt } from "./converse-conversation.js";

it("turns a Converse conversation into the engine's chat prompt", () => {
  expect(
    converseChatPrompt({
      system: [{ text: "Be brief." }, { cachePoint: { type: "default" } }],
      messages: [{ role: "user", content: [{ text: "Hello" }] }],
      toolConfig: {
        tools: [
          { toolSpec: { name: "echo", description: "Echoes", inputSchema: { json: { type: "object" } } } },
        ],
        toolChoice: { tool: { name: "echo" } },
      },
    }),
  ).toEqual({
    ok: true,
    prompt: {
      kind: "chat",
      system: "Be brief.",
      messages: [{ role: "user", text: "Hello" }],
      tools: [{ name: "echo", description: "Echoes", inputSchema: { type: "object" } }],
      toolChoice: { kind: "tool", name: "echo" },
    },
  });
});

it("names the bad field", () => {
  expect(
    converseChatPrompt({
      messages: [{ role: "user", content: [{ text: "Hi" }] }],
      toolConfig: { tools: [{ toolSpec: { name: "bad name", inputSchema: { json: {} } } }] },
    }),
  ).toEqual({
    ok: false,
    message: 'toolConfig.tools[0].toolSpec.name must match [a-zA-Z0-9_-]{1,64}, got "bad name".',
  });
  expect(converseChatPrompt({ messages: [] })).toEqual({
    ok: false,
    message: "messages must hold at least 1 item.",
  });
});
