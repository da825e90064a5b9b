// POST /v1/chat/completions: OpenAI's chat API on the local engine, whole or streamed as server-sent events.
import { collectGeneration, type Prompt, type ToolCall } from "../inference/engine/inference-engine.js";
import type { WireResponse } from "../protocol/wire-request.js";
import { chatCompletionChunks } from "./chat-completion-chunks.js";
import { finishReasonOf } from "./finish-reason.js";
import { remainingContextTokens, responseId, samplingOptions, unixSeconds } from "./generation-settings.js";
import { jsonResponse } from "./json-response.js";
import { invalidRequest } from "./openai-error.js";
import { OpenAiInvocation } from "./openai-invocation.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import { type ChatCompletionRequest, parseChatCompletionRequest } from "./parse-chat-completion-request.js";
import { type LocalTarget, resolveOpenAiModel } from "./resolve-openai-model.js";
import { serverSentEventHeaders, serverSentEventStream } from "./server-sent-events.js";
import { startGeneration } from "./start-generation.js";
import { streamErrorBody } from "./stream-error-body.js";

export async function createChatCompletion(
  context: OpenAiRequestContext,
  body: unknown,
): Promise<WireResponse> {
  const parsed = parseChatCompletionRequest(body);
  if (!parsed.success) throw parsed.error;
  const request = parsed.value;
  const target = await resolveOpenAiModel(context, request.model);
  const modelId = target.entry.model.modelId;
  const unreadable = request.nonTextModalities[0];
  if (unreadable !== undefined) {
    throw invalidRequest(
      `The model ${modelId} does not accept ${unreadable} input: it is served on this host by ${target.engineModel.modelId}, which takes text only.`,
      "messages",
      "unsupported_modality",
    );
  }
  const invocation = new OpenAiInvocation(context, "openai.chat.completions", request.model, target);
  try {
    context.runtime.admitOnDemand?.(context.caller.keyId, context.request.requestId, request.model);
    const prompt = await chatPrompt(context, request, target);
    const maxTokens =
      request.maxTokens ?? (await remainingContextTokens(context, target.engineModel, prompt));
    const events = await startGeneration(context, invocation, {
      model: target.engineModel,
      prompt,
      sampling: samplingOptions(request, maxTokens),
      signal: context.request.signal,
    });
    const id = responseId("chatcmpl", context.request.requestId);
    const created = unixSeconds();
    if (request.stream) {
      const chunks = chatCompletionChunks(events, {
        id,
        created,
        model: modelId,
        includeUsage: request.includeUsage,
      });
      return {
        status: 200,
        headers: { ...serverSentEventHeaders, "x-request-id": context.request.requestId },
        body: serverSentEventStream(chunks, (error) => streamErrorBody(context, error)),
      };
    }
    const { text, toolCalls, end } = await collectGeneration(events);
    return jsonResponse(
      200,
      {
        id,
        object: "chat.completion",
        created,
        model: modelId,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              // OpenAI sends null content for an answer made only of tool calls.
              content: text.length === 0 && toolCalls.length > 0 ? null : text,
              refusal: null,
              ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls.map(openAiToolCall) }),
            },
            logprobs: null,
            finish_reason: finishReasonOf(end.stopReason, toolCalls.length),
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

async function chatPrompt(
  context: OpenAiRequestContext,
  request: ChatCompletionRequest,
  target: LocalTarget,
): Promise<Prompt> {
  if (request.tools !== undefined && !(await context.runtime.engine.supportsTools(target.engineModel))) {
    throw invalidRequest(
      `The model ${target.entry.model.modelId} does not support tools: its chat template cannot carry tool definitions.`,
      "tools",
      "unsupported_parameter",
    );
  }
  return {
    kind: "chat",
    ...(request.system === undefined ? {} : { system: request.system }),
    messages: request.messages,
    ...(request.tools === undefined ? {} : { tools: request.tools }),
    ...(request.toolChoice === undefined ? {} : { toolChoice: request.toolChoice }),
  };
}

function openAiToolCall(call: ToolCall) {
  return {
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  };
}
