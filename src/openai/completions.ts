// POST /v1/completions: the legacy text-completion API — the prompt is completed as raw text, no chat template.
import { collectGeneration, type Prompt } from "../inference/engine/inference-engine.js";
import type { WireResponse } from "../protocol/wire-request.js";
import { finishReasonOf } from "./finish-reason.js";
import { responseId, samplingOptions, unixSeconds } from "./generation-settings.js";
import { jsonResponse } from "./json-response.js";
import { OpenAiInvocation } from "./openai-invocation.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import { parseCompletionRequest } from "./parse-completion-request.js";
import { resolveOpenAiModel } from "./resolve-openai-model.js";
import { serverSentEventHeaders, serverSentEventStream } from "./server-sent-events.js";
import { startGeneration } from "./start-generation.js";
import { streamErrorBody } from "./stream-error-body.js";
import { textCompletionChunks } from "./text-completion-chunks.js";

export async function createCompletion(context: OpenAiRequestContext, body: unknown): Promise<WireResponse> {
  const parsed = parseCompletionRequest(body);
  if (!parsed.success) throw parsed.error;
  const request = parsed.value;
  const target = await resolveOpenAiModel(context, request.model);
  const modelId = target.entry.model.modelId;
  const invocation = new OpenAiInvocation(context, "openai.completions", request.model, target);
  try {
    context.runtime.admitOnDemand?.(context.caller.keyId, context.request.requestId, request.model);
    const prompt: Prompt = { kind: "text", text: request.prompt };
    const events = await startGeneration(context, invocation, {
      model: target.engineModel,
      prompt,
      sampling: samplingOptions(request, request.maxTokens),
      signal: context.request.signal,
    });
    const id = responseId("cmpl", context.request.requestId);
    const created = unixSeconds();
    const leadingText = request.echo ? request.prompt : "";
    if (request.stream) {
      const chunks = textCompletionChunks(
        events,
        { id, created, model: modelId, includeUsage: request.includeUsage },
        leadingText,
      );
      return {
        status: 200,
        headers: { ...serverSentEventHeaders, "x-request-id": context.request.requestId },
        body: serverSentEventStream(chunks, (error) => streamErrorBody(context, error)),
      };
    }
    const { text, end } = await collectGeneration(events);
    return jsonResponse(
      200,
      {
        id,
        object: "text_completion",
        created,
        model: modelId,
        choices: [
          {
            text: leadingText + text,
            index: 0,
            logprobs: null,
            finish_reason: finishReasonOf(end.stopReason, 0),
          },
        ],
        usage: {
          prompt_tokens: end.usage.inputTokens,
          completion_tokens: end.usage.outputTokens,
          total_tokens: end.usage.inputTokens + end.usage.outputTokens,
        },
      },
      context.request.requestId,
    );
  } catch (error) {
    invocation.fail(error);
    throw error;
  }
}
