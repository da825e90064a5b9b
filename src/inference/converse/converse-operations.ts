// Converse and ConverseStream on local models: the request translated to the engine's chat prompt, the
// engine's events back to Bedrock's output and event sequence (messageStart, content block events,
// messageStop, metadata last), every invocation recorded in the usage ledger.
import { AwsError } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation, type RequestContext } from "../../protocol/dispatcher.js";
import type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  ConverseStreamOutput,
  ConverseStreamRequest,
  ConverseStreamResponse,
} from "../../protocol/generated/bedrock-runtime-types.js";
import type { GenerationEvent } from "../engine/inference-engine.js";
import {
  assertCapabilities,
  type RequestedCapabilities,
  type RuntimeTarget,
} from "../resolve-runtime-model.js";
import type { RuntimeServices } from "../runtime-services.js";
import { translateConverse } from "./converse-request.js";
import { defaultMaxTokens, prepareLocalGeneration, rethrowAsAwsError } from "./prepare-local-generation.js";

function recorder(runtime: RuntimeServices, context: RequestContext, requestedModelId: string) {
  const startedAt = new Date();
  return (
    modelId: string,
    status: string,
    usage: { inputTokens: number; outputTokens: number } = { inputTokens: 0, outputTokens: 0 },
    timeToFirstTokenMs?: number,
    servedBy: "LOCAL_ENGINE" | "PASS_THROUGH" = "LOCAL_ENGINE",
  ) =>
    runtime.usage.record({
      requestId: context.requestId,
      requestedModelId,
      modelId,
      servedBy,
      operation: context.operationName,
      callerKeyId: context.caller.keyId,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs } : {}),
      latencyMs: Date.now() - startedAt.getTime(),
      status,
      startedAt,
    });
}

function statusOf(error: unknown): string {
  if (error instanceof AwsError) return error.errorType;
  if ((error as Error)?.name === "AbortError") return "ClientClosedRequest";
  return "InternalServerException";
}

export function converseOperations(runtime: RuntimeServices): Record<string, OperationHandler> {
  return {
    Converse: operation<ConverseRequest, ConverseResponse>(async (context, input) => {
      const record = recorder(runtime, context, input.modelId);
      const started = performance.now();
      let modelId = input.modelId;
      try {
        const { prompt, sampling, requested } = translateConverse(input, defaultMaxTokens);
        const target = await runtime.resolver.resolve(input.modelId);
        const passThrough = passThroughTarget(runtime, target, requested);
        if (passThrough) {
          modelId = passThrough.bedrockModelId;
          const response = await passThrough.client.converse(
            { ...input, modelId: passThrough.bedrockModelId },
            context.signal,
          );
          record(modelId, "success", response.usage, undefined, "PASS_THROUGH");
          return response;
        }
        const { engineModel } = await prepareLocalGeneration(runtime, target, requested, prompt, sampling);
        modelId = target.entry.model.modelId;
        const content: ContentBlock[] = [];
        let text = "";
        let end: Extract<GenerationEvent, { type: "end" }> | undefined;
        const events = runtime.engine.generate({
          model: engineModel,
          prompt,
          sampling,
          signal: context.signal,
        });
        try {
          for await (const event of events) {
            if (event.type === "text") text += event.text;
            else if (event.type === "toolCall") {
              content.push({
                toolUse: {
                  toolUseId: event.toolCall.id,
                  name: event.toolCall.name,
                  input: event.toolCall.input,
                },
              });
            } else end = event;
          }
        } catch (error) {
          rethrowAsAwsError(false)(error);
        }
        if (!end) throw new Error("the engine ended without an end event");
        if (text !== "" || content.length === 0) content.unshift({ text });
        record(modelId, "success", end.usage, end.timeToFirstTokenMs);
        return {
          output: { message: { role: "assistant", content } },
          stopReason: end.stopReason,
          usage: { ...end.usage, totalTokens: end.usage.inputTokens + end.usage.outputTokens },
          metrics: { latencyMs: Math.round(performance.now() - started) },
        };
      } catch (error) {
        record(modelId, statusOf(error));
        throw error;
      }
    }),

    ConverseStream: operation<ConverseStreamRequest, ConverseStreamResponse>(async (context, input) => {
      const record = recorder(runtime, context, input.modelId);
      const started = performance.now();
      // Everything that can be refused is checked before the 200 goes out: errors before the first byte are
      // ordinary HTTP errors (bedrock-api.md §4).
      let prepared: Awaited<ReturnType<typeof prepareLocalGeneration>>;
      let translated: ReturnType<typeof translateConverse>;
      try {
        translated = translateConverse(input, defaultMaxTokens);
        const target = await runtime.resolver.resolve(input.modelId);
        const passThrough = passThroughTarget(runtime, target, {
          ...translated.requested,
          streaming: true,
        });
        if (passThrough) {
          const upstream = await passThrough.client.converseStream(
            { ...input, modelId: passThrough.bedrockModelId },
            context.signal,
          );
          return {
            stream: relayed(upstream, (usage) =>
              record(passThrough.bedrockModelId, "success", usage, undefined, "PASS_THROUGH"),
            ),
          };
        }
        prepared = await prepareLocalGeneration(
          runtime,
          target,
          { ...translated.requested, streaming: true },
          translated.prompt,
          translated.sampling,
        );
      } catch (error) {
        record(input.modelId, statusOf(error));
        throw error;
      }
      const modelId = prepared.target.entry.model.modelId;
      async function* stream(): AsyncGenerator<ConverseStreamOutput> {
        let blockIndex = 0;
        let textOpen = false;
        let outcome: string | undefined;
        let usage: { inputTokens: number; outputTokens: number } | undefined;
        let timeToFirstTokenMs: number | undefined;
        try {
          yield { messageStart: { role: "assistant" } };
          const events = runtime.engine.generate({
            model: prepared.engineModel,
            prompt: translated.prompt,
            sampling: translated.sampling,
            signal: context.signal,
          });
          try {
            for await (const event of events) {
              if (event.type === "text") {
                textOpen = true;
                yield { contentBlockDelta: { contentBlockIndex: blockIndex, delta: { text: event.text } } };
              } else if (event.type === "toolCall") {
                if (textOpen) {
                  yield { contentBlockStop: { contentBlockIndex: blockIndex } };
                  blockIndex++;
                  textOpen = false;
                }
                const { id, name, input: toolInput } = event.toolCall;
                yield {
                  contentBlockStart: {
                    contentBlockIndex: blockIndex,
                    start: { toolUse: { toolUseId: id, name } },
                  },
                };
                yield {
                  contentBlockDelta: {
                    contentBlockIndex: blockIndex,
                    delta: { toolUse: { input: JSON.stringify(toolInput) } },
                  },
                };
                yield { contentBlockStop: { contentBlockIndex: blockIndex } };
                blockIndex++;
              } else {
                if (textOpen) yield { contentBlockStop: { contentBlockIndex: blockIndex } };
                yield { messageStop: { stopReason: event.stopReason } };
                usage = event.usage;
                timeToFirstTokenMs = event.timeToFirstTokenMs;
                yield {
                  metadata: {
                    usage: {
                      ...event.usage,
                      totalTokens: event.usage.inputTokens + event.usage.outputTokens,
                    },
                    metrics: { latencyMs: Math.round(performance.now() - started) },
                  },
                };
                outcome = "success";
              }
            }
          } catch (error) {
            rethrowAsAwsError(true)(error);
          }
        } catch (error) {
          outcome = statusOf(error);
          throw error;
        } finally {
          // A client that leaves ends the generator without an error: the writer stops pulling events.
          record(modelId, outcome ?? "ClientClosedRequest", usage, timeToFirstTokenMs);
        }
      }
      return { stream: stream() };
    }),
  };
}

/** The pass-through client and Bedrock id when the model is Bedrock's and not served here; capabilities checked. */
function passThroughTarget(
  runtime: RuntimeServices,
  target: RuntimeTarget,
  requested: RequestedCapabilities,
) {
  if (target.kind !== "pass-through" || !runtime.passThrough) return undefined;
  assertCapabilities(target.entry, requested);
  return { client: runtime.passThrough, bedrockModelId: target.bedrockModelId };
}

/** Bedrock's own events, passed on as they arrive; its metadata event carries the usage to record. */
async function* relayed(
  upstream: AsyncIterable<ConverseStreamOutput>,
  onUsage: (usage: { inputTokens: number; outputTokens: number }) => void,
): AsyncGenerator<ConverseStreamOutput> {
  for await (const event of upstream) {
    const usage = event.metadata?.usage;
    if (usage) onUsage({ inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 });
    yield event;
  }
}
