// Tools built on the Bedrock API work against Strata unchanged: LangChain's ChatBedrockConverse
// (@langchain/aws) and the Vercel AI SDK's @ai-sdk/amazon-bedrock (generateText, streamText, a tool call).
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ChatBedrockConverse } from "@langchain/aws";
import { generateText, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";
let strata: TestStrata;

beforeAll(async () => {
  strata = await startTestStrata({ aliases: { [haiku]: "local.test-tiny" } });
  await registerTestModel(strata, "local.test-tiny");
});

afterAll(async () => {
  await strata?.stop();
});

const weatherInput = z.object({ city: z.enum(["Paris", "Berlin"]), unit: z.enum(["celsius", "fahrenheit"]) });

describe("LangChain ChatBedrockConverse", () => {
  function chat(model: string, maxTokens = 8) {
    const client = new BedrockRuntimeClient({
      endpoint: strata.apiUrl,
      region: "us-east-1",
      credentials: strata.credentials,
      maxAttempts: 1,
    });
    return new ChatBedrockConverse({ model, region: "us-east-1", client, maxTokens, temperature: 0 });
  }

  it("invokes and streams a local model and an aliased Bedrock id", async () => {
    for (const model of ["local.test-tiny", haiku]) {
      const message = await chat(model).invoke([
        ["system", "Be brief."],
        ["human", "Hello"],
      ]);
      expect(typeof message.content).toBe("string");
      expect(message.usage_metadata?.output_tokens).toBeGreaterThan(0);
    }
    let streamed = "";
    for await (const chunk of await chat("local.test-tiny").stream("Hello"))
      streamed += String(chunk.content);
    const whole = await chat("local.test-tiny").invoke("Hello");
    expect(streamed).toBe(whole.content);
  });

  // LangChain only sends tool_choice for model families it knows to support it (Anthropic, Mistral…), so the
  // call goes to the aliased Claude id, as code written for Bedrock would.
  it("makes a tool call", async () => {
    const model = chat(haiku, 64).bindTools(
      [{ name: "get_weather", description: "Weather for a city", schema: weatherInput }],
      { tool_choice: "get_weather" },
    );
    const message = await model.invoke("Weather in Paris?");
    expect(message.tool_calls?.[0]?.name).toBe("get_weather");
    expect(weatherInput.safeParse(message.tool_calls?.[0]?.args).success).toBe(true);
  });
});

describe("Vercel AI SDK @ai-sdk/amazon-bedrock", () => {
  function bedrock() {
    return createAmazonBedrock({
      region: "us-east-1",
      baseURL: strata.apiUrl,
      accessKeyId: strata.credentials.accessKeyId,
      secretAccessKey: strata.credentials.secretAccessKey,
    });
  }

  it("generateText and streamText on a local model and an aliased Bedrock id", async () => {
    for (const model of ["local.test-tiny", haiku]) {
      const result = await generateText({
        model: bedrock()(model),
        prompt: "Hello",
        maxOutputTokens: 8,
        temperature: 0,
      });
      expect(typeof result.text).toBe("string");
      expect(result.usage.outputTokens).toBeGreaterThan(0);
    }
    const streamed = streamText({
      model: bedrock()("local.test-tiny"),
      prompt: "Hello",
      maxOutputTokens: 8,
      temperature: 0,
    });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    const whole = await generateText({
      model: bedrock()("local.test-tiny"),
      prompt: "Hello",
      maxOutputTokens: 8,
      temperature: 0,
    });
    expect(text).toBe(whole.text);
    expect((await streamed.usage).outputTokens).toBe(whole.usage.outputTokens);
  });

  it("makes a tool call", async () => {
    const result = await generateText({
      model: bedrock()("local.test-tiny"),
      prompt: "Weather in Paris?",
      maxOutputTokens: 64,
      temperature: 0,
      tools: { get_weather: tool({ description: "Weather for a city", inputSchema: weatherInput }) },
      toolChoice: { type: "tool", toolName: "get_weather" },
    });
    expect(result.toolCalls[0]?.toolName).toBe("get_weather");
    expect(weatherInput.safeParse(result.toolCalls[0]?.input).success).toBe(true);
  });
});
