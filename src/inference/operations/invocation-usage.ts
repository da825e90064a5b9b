// Reports one invocation to the usage ledger exactly once, whichever way it ends: success with its tokens,
// or the AWS error type that ended it.
import type { RequestContext } from "../../protocol/dispatcher.js";
import type { UsageRecorder } from "../../usage/invocation-record.js";
import type { GenerationUsage } from "../engine/inference-engine.js";
import type { RuntimeTarget } from "../resolve-runtime-model.js";

export class InvocationUsage {
  private recorded = false;
  private readonly startedAt = new Date();
  private readonly started = performance.now();

  constructor(
    private readonly usage: UsageRecorder,
    private readonly context: RequestContext,
    private readonly requestedModelId: string,
    private readonly target: RuntimeTarget,
  ) {}

  /** Milliseconds since the invocation began. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  succeeded(usage: GenerationUsage, timeToFirstTokenMs?: number): void {
    this.record("success", usage, timeToFirstTokenMs);
  }

  failed(error: unknown): void {
    this.record(statusOf(error), { inputTokens: 0, outputTokens: 0 });
  }

  private record(status: string, usage: GenerationUsage, timeToFirstTokenMs?: number): void {
    if (this.recorded) return;
    this.recorded = true;
    const { target } = this;
    this.usage.record({
      requestId: this.context.requestId,
      requestedModelId: this.requestedModelId,
      // What served it: the local model (also when it stands in for a Bedrock id), or the Bedrock model.
      modelId: target.kind === "local" ? target.engineModel.modelId : target.bedrockModelId,
      servedBy: target.kind === "local" ? "LOCAL_ENGINE" : "PASS_THROUGH",
      operation: this.context.operationName,
      callerKeyId: this.context.caller.keyId,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs }),
      latencyMs: this.elapsedMs(),
      status,
      startedAt: this.startedAt,
    });
  }
}

function statusOf(error: unknown): string {
  if (
    typeof error === "object" &&
    error !== null &&
    "errorType" in error &&
    typeof error.errorType === "string"
  ) {
    return error.errorType;
  }
  // The client went away mid-generation: no AWS error ended it.
  if (error instanceof Error && error.name === "AbortError") return "ClientClosedRequest";
  return "InternalServerException";
}
