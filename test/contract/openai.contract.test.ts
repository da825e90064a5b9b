// The OpenAI-compatible API under /v1 through the unmodified official `openai` client, against a real server
// running a real tiny local model (llama.cpp), with a Bedrock model id aliased to it.
import OpenAI, { AuthenticationError, NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const model = "local.test-tiny";
const haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";
let strata: TestStrata;
let client: OpenAI;

beforeAll(async () => {
  strata = await startTestStrata({ aliases: { [haiku]: model }, sequencesPerModel: 4 });
  await registerTestModel(strata, model);
  const apiKey = strata.credentials.apiKey;
  if (!apiKey) throw new Error("the first-start credentials carry no API key");
  client = new OpenAI({ baseURL: `${strata.apiUrl}/v1`, apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await strata?.stop();
});

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Tell me about the Union." },
];

describe("models", () => {
  it("lists the local model and the Bedrock id aliased to it, and nothing catalog-only", async () => {
    const ids: string[] = [];
    for await (const listed of client.models.list()) {
      expect(listed.object).toBe("model");
      ids.push(listed.id);
    }
    expect(ids).toContain(model);
    expect(ids).toContain(haiku);
    expect(ids).not.toContain("anthropic.claude-3-haiku-20240307-v1:0");
    expect((await client.models.retrieve(model)).id).toBe(model);
  });
});

describe("chat completions", () => {
  it("answers with an assistant message, a finish reason and usage", async () => {
    const completion = await client.chat.completions.create({
      model,
      messages,
      max_tokens: 8,
      temperature: 0,
      seed: 1,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe(model);
    const choice = completion.choices[0];
    expect(choice?.message.role).toBe("assistant");
    expect(typeof choice?.message.content).toBe("string");
    expect(["stop", "length"]).toContain(choice?.finish_reason);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(5);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(8);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("streams deltas that add up to the whole answer, with usage in a last chunk without choices", async () => {
    const request = { model, messages, max_completion_tokens: 8, temperature: 0, seed: 1 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunkCount = 0;
    for await (const chunk of stream) {
      chunkCount += 1;
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      if (choice) {
        text += choice.delta.content ?? "";
        finishReason = choice.finish_reason ?? finishReason;
      } else {
        usage = chunk.usage;
      }
    }
    expect(chunkCount).toBeGreaterThan(2);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finishReason).toBe(whole.choices[0]?.finish_reason);
    expect(usage).toEqual(whole.usage);
  });

  it("serves the aliased Bedrock id", async () => {
    const completion = await client.chat.completions.create({
      model: haiku,
      messages,
      max_tokens: 4,
      temperature: 0,
    });
    expect(completion.model).toBe(haiku);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("refuses an image naming the model and the modality", async () => {
    const error = await client.chat.completions
      .create({
        model,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            ],
          },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain(model);
    expect((error as Error).message).toContain("image");
  });
});

describe("completions", () => {
  it("completes a raw prompt, whole and streamed", async () => {
    const request = { model, prompt: "The Union is", max_tokens: 6, temperature: 0, seed: 1 };
    const completion = await client.completions.create(request);
    expect(completion.object).toBe("text_completion");
    expect(completion.id).toMatch(/^cmpl-/);
    expect(["stop", "length"]).toContain(completion.choices[0]?.finish_reason);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(6);

    const stream = await client.completions.create({ ...request, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe(completion.choices[0]?.text);
  });
});

describe("embeddings", () => {
  it("returns one vector per input (the client's default base64 encoding, decoded by the client)", async () => {
    const response = await client.embeddings.create({ model, input: ["The Union", "is strong"] });
    expect(response.object).toBe("list");
    expect(response.model).toBe(model);
    expect(response.data.map((item) => item.index)).toEqual([0, 1]);
    const [first, second] = response.data.map((item) => item.embedding);
    expect(first?.length).toBeGreaterThan(0);
    expect(second?.length).toBe(first?.length);
    expect(first?.every((value) => Number.isFinite(value))).toBe(true);
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);

    const floats = await client.embeddings.create({ model, input: "The Union", encoding_format: "float" });
    expect(floats.data[0]?.embedding).toHaveLength(first?.length ?? -1);
    floats.data[0]?.embedding.forEach((value, index) => {
      expect(value).toBeCloseTo(first?.[index] ?? Number.NaN, 5);
    });
  });
});

describe("errors", () => {
  it("answers a wrong API key with 401 AuthenticationError", async () => {
    const stranger = new OpenAI({
      baseURL: `${strata.apiUrl}/v1`,
      apiKey: "not-a-strata-key",
      maxRetries: 0,
    });
    const error = await stranger.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key" });
  });

  it("answers an unknown model with 404 model_not_found", async () => {
    const error = await client.chat.completions
      .create({ model: "acme.unknown-model-v1:0", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
  });
});
