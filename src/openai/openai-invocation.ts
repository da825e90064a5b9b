// Reports one invocation to the usage ledger exactly once, whichever way it ends: success with the engine's
// token counts, an error, or the client going away mid-stream.
import { EngineError } from "../inference/engine/inference-engine.js";
import { AwsError } from "../protocol/aws-errors.js";
import { OpenAiError } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";
import type { LocalTarget } from "./resolve-openai-model.js";

export type OpenAiOperation = "openai.chat.completions" | "openai.completions" | "openai.embeddings";

export interface InvocationOutcome {
  inputTokens: number;
  outputTokens: number;
  timeToFirstTokenMs?: number;
}

/** Status recorded when the client disconnected before the answer was complete. */
export const clientDisconnectedStatus = "ClientClosedRequest";

export class OpenAiInvocation {
  private readonly startedAt = new Date();
  private readonly startTime = performance.now();
  private recorded = false;

  constructor(
    private readonly context: OpenAiRequestContext,
    readonly operation: OpenAiOperation,
    private readonly requestedModelId: string,
    readonly target: LocalTarget,
  ) {}

  succeed(outcome: InvocationOutcome): void {
    this.record("success", outcome);
  }

  fail(error: unknown): void {
    const status = this.context.request.signal.aborted ? clientDisconnectedStatus : statusOf(error);
    this.record(status, { inputTokens: 0, outputTokens: 0 });
  }

  abandon(): void {
    this.record(clientDisconnectedStatus, { inputTokens: 0, outputTokens: 0 });
  }

  private record(status: string, outcome: InvocationOutcome): void {
    if (this.recorded) return;
    this.recorded = true;
    this.context.runtime.usage.record({
      requestId: this.context.request.requestId,
      requestedModelId: this.requestedModelId,
      modelId: this.target.engineModel.modelId,
      servedBy: "LOCAL_ENGINE",
      operation: this.operation,
      callerKeyId: this.context.caller.keyId,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      ...(outcome.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: outcome.timeToFirstTokenMs }),
      latencyMs: Math.round(performance.now() - this.startTime),
      status,
      startedAt: this.startedAt,
    });
  }
}

/** The ledger keeps AWS error types, so OpenAI and Bedrock invocations aggregate alike. */
function statusOf(error: unknown): string {
  if (error instanceof AwsError) return error.errorType;
  if (error instanceof OpenAiError)
    return error.status >= 500 ? "InternalServerException" : "ValidationException";
  if (error instanceof EngineError) {
    switch (error.kind) {
      case "context-overflow":
      case "unsupported":
        return "ValidationException";
      case "model-load":
        return "ModelNotReadyException";
      case "internal":
        return "ModelErrorException";
    }
  }
  return "InternalServerException";
}
