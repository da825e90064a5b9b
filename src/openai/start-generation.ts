// Starts a generation and waits for its first event before the response is committed, so that failures the
// engine reports up front (the model cannot load, the prompt overflows the context) still get a real HTTP
// status instead of an error event inside a 200 stream. The returned events report the invocation when they
// end, fail, or are abandoned by a client that went away.
import {
  EngineError,
  type GenerationEvent,
  type GenerationRequest,
} from "../inference/engine/inference-engine.js";
import type { OpenAiInvocation } from "./openai-invocation.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";

export async function startGeneration(
  context: OpenAiRequestContext,
  invocation: OpenAiInvocation,
  request: GenerationRequest,
): Promise<AsyncIterable<GenerationEvent>> {
  const iterator = context.runtime.engine.generate(request)[Symbol.asyncIterator]();
  let first: IteratorResult<GenerationEvent>;
  try {
    first = await iterator.next();
  } catch (error) {
    invocation.fail(error);
    throw error;
  }
  return reportedEvents(first, iterator, invocation);
}

async function* reportedEvents(
  first: IteratorResult<GenerationEvent>,
  iterator: AsyncIterator<GenerationEvent>,
  invocation: OpenAiInvocation,
): AsyncGenerator<GenerationEvent, void, undefined> {
  let settled = false;
  let ended = false;
  try {
    for (let result = first; !result.done; result = await iterator.next()) {
      const event = result.value;
      if (event.type === "end") {
        ended = true;
        invocation.succeed({
          inputTokens: event.usage.inputTokens,
          outputTokens: event.usage.outputTokens,
          timeToFirstTokenMs: event.timeToFirstTokenMs,
        });
      }
      yield event;
    }
    settled = true;
    if (!ended) throw new EngineError("internal", "The generation ended without an end event.");
  } catch (error) {
    settled = true;
    invocation.fail(error);
    throw error;
  } finally {
    // Reached without settling only when the consumer stopped early: the client went away mid-stream.
    if (!settled) {
      if (!ended) invocation.abandon();
      await iterator.return?.();
    }
  }
}
