// POST /v1/embeddings: one vector per input from the local engine, as floats or as base64 of little-endian
// float32 (what the official clients request by default and decode themselves).
import type { WireResponse } from "../protocol/wire-request.js";
import { jsonResponse } from "./json-response.js";
import { invalidRequest } from "./openai-error.js";
import { OpenAiInvocation } from "./openai-invocation.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import { parseEmbeddingRequest } from "./parse-embedding-request.js";
import { resolveOpenAiModel } from "./resolve-openai-model.js";

export async function createEmbeddings(context: OpenAiRequestContext, body: unknown): Promise<WireResponse> {
  const parsed = parseEmbeddingRequest(body);
  if (!parsed.success) throw parsed.error;
  const request = parsed.value;
  const target = await resolveOpenAiModel(context, request.model);
  const invocation = new OpenAiInvocation(context, "openai.embeddings", request.model, target);
  try {
    context.runtime.admitOnDemand?.(context.caller.keyId, context.request.requestId, request.model);
    const { engine } = context.runtime;
    const [vectors, tokenCounts] = await Promise.all([
      engine.embed(target.engineModel, request.inputs),
      Promise.all(
        request.inputs.map((text) => engine.countTokens(target.engineModel, { kind: "text", text })),
      ),
    ]);
    const length = vectors[0]?.length ?? 0;
    if (request.dimensions !== undefined && request.dimensions !== length) {
      throw invalidRequest(
        `The model ${target.entry.model.modelId} produces ${length}-dimensional embeddings and cannot shorten them: 'dimensions' must be ${length} or omitted.`,
        "dimensions",
        "invalid_value",
      );
    }
    const promptTokens = tokenCounts.reduce((sum, count) => sum + count, 0);
    invocation.succeed({ inputTokens: promptTokens, outputTokens: 0 });
    return jsonResponse(
      200,
      {
        object: "list",
        data: vectors.map((vector, index) => ({
          object: "embedding",
          index,
          embedding: request.encodingFormat === "base64" ? float32Base64(vector) : vector,
        })),
        model: target.entry.model.modelId,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
      context.request.requestId,
    );
  } catch (error) {
    invocation.fail(error);
    throw error;
  }
}

export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString("base64");
}
