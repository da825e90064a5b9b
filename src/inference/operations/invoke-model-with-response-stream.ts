// InvokeModelWithResponseStream: the family's native streaming JSON, one `chunk` event per piece, the last
// piece carrying "amazon-bedrock-invocationMetrics" as real Bedrock adds it (bedrock-api.md §3.3). The engine's
// first event is awaited before the operation returns, so a model that cannot load or a prompt that does not
// fit is an ordinary HTTP error, not an exception frame after a 200.
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  InvokeModelWithResponseStreamRequest,
  InvokeModelWithResponseStreamResponse,
  ResponseStream,
} from "../../protocol/generated/bedrock-runtime-types.js";
import { EngineError, type GenerationEvent } from "../engine/inference-engine.js";
import type { NativeChunk, NativeStreamTranslator } from "../native-bodies/native-family.js";
import type { RuntimeServices } from "../runtime-services.js";
import { awsErrorFromEngineError } from "./aws-error-from-engine-error.js";
import { InvocationUsage } from "./invocation-usage.js";
import { passThroughNotAvailable } from "./pass-through-not-available.js";

// A forwarded native body's token counts live in that family's own response format (or the unmodelled
// X-Amzn-Bedrock-*-Token-Count headers, which the SDK does not expose); the ledger records the call with 0.
const forwardedUsage = { inputTokens: 0, outputTokens: 0 };

import { prepareNativeInvocation } from "./prepare-native-invocation.js";
import { assertAcceptsJson, readNativeBody } from "./read-native-body.js";

export const invocationMetricsKey = "amazon-bedrock-invocationMetrics";

export function invokeModelWithResponseStream(runtime: RuntimeServices): OperationHandler {
  return operation<InvokeModelWithResponseStreamRequest, InvokeModelWithResponseStreamResponse>(
    async (context, input) => {
      const target = await runtime.resolver.resolve(input.modelId);
      const usage = new InvocationUsage(runtime.usage, context, input.modelId, target);
      const modelId = target.entry.model.modelId;
      let events: AsyncIterator<GenerationEvent> | undefined;
      try {
        if (target.kind === "pass-through") {
          if (!runtime.passThrough)
            throw passThroughNotAvailable(context.operationName, target.bedrockModelId);
          const forwarded = await runtime.passThrough.invokeModelWithResponseStream(
            { ...input, modelId: target.bedrockModelId },
            context.signal,
          );
          usage.succeeded(forwardedUsage);
          return { body: forwarded.stream, contentType: forwarded.contentType };
        }
        assertAcceptsJson(input.accept, "X-Amzn-Bedrock-Accept");
        const body = readNativeBody(input.body, input.contentType);
        const invocation = await prepareNativeInvocation(runtime.engine, target, body, { streaming: true });
        // Llama, Titan and Anthropic report the prompt's tokens in their first chunk, before the engine's
        // final usage exists: count them up front.
        const inputTokens = await runtime.engine.countTokens(target.engineModel, invocation.prompt);
        events = runtime.engine
          .generate({
            model: target.engineModel,
            prompt: invocation.prompt,
            sampling: invocation.sampling,
            signal: context.signal,
          })
          [Symbol.asyncIterator]();
        const first = await events.next();
        const translator = invocation.family.createStream({
          modelId: invocation.responseModelId,
          requestId: context.requestId,
          inputTokens,
        });
        return {
          body: streamChunks({ usage, modelId, translator, events, first }),
          contentType: "application/json",
        };
      } catch (error) {
        await events?.return?.();
        const answered = awsErrorFromEngineError(error, modelId);
        usage.failed(answered);
        throw answered;
      }
    },
  );
}

interface StreamState {
  usage: InvocationUsage;
  modelId: string;
  translator: NativeStreamTranslator;
  events: AsyncIterator<GenerationEvent>;
  first: IteratorResult<GenerationEvent>;
}

async function* streamChunks(state: StreamState): AsyncGenerator<ResponseStream> {
  const { usage, translator, events } = state;
  const encoder = new TextEncoder();
  let firstByteLatency: number | undefined;
  let ended = false;
  let failure: unknown;
  try {
    for (let next = state.first; !next.done; next = await events.next()) {
      const event = next.value;
      const chunks = translator.translate(event);
      if (event.type === "end") {
        ended = true;
        firstByteLatency ??= usage.elapsedMs();
        attachMetrics(chunks, {
          inputTokenCount: event.usage.inputTokens,
          outputTokenCount: event.usage.outputTokens,
          invocationLatency: usage.elapsedMs(),
          firstByteLatency,
        });
        // Recorded before the last chunk goes out: a client that leaves now has had the whole answer.
        usage.succeeded(event.usage, event.timeToFirstTokenMs);
      }
      for (const chunk of chunks) {
        firstByteLatency ??= usage.elapsedMs();
        yield { chunk: { bytes: encoder.encode(JSON.stringify(chunk)) } };
      }
      if (ended) return;
    }
    throw new EngineError("internal", "the generation ended without an end event");
  } catch (error) {
    failure = awsErrorFromEngineError(error, state.modelId, true);
    throw failure;
  } finally {
    // Not ended: an error, or — with none — the consumer stopped reading because the client went away.
    if (!ended)
      usage.failed(failure ?? Object.assign(new Error("client closed the stream"), { name: "AbortError" }));
    // Also after the end event: the engine's generator is suspended at that yield and frees its sequence only
    // when it finishes.
    await events.return?.();
  }
}

function attachMetrics(chunks: NativeChunk[], metrics: Record<string, number>): void {
  const last = chunks.at(-1);
  if (last) last[invocationMetricsKey] = metrics;
  else chunks.push({ [invocationMetricsKey]: metrics });
}
