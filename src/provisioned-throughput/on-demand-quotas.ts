// Per-key on-demand quotas (requests and tokens per minute): the runtime operations ask before they start, the
// usage ledger's records feed the tokens back. Traffic on a provisioned throughput is not counted: its bound is
// its reservation. The decision is admission-policy.ts's checkQuota().
import { ThrottlingException } from "../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../protocol/dispatcher.js";
import type { InvocationRecord, UsageRecorder } from "../usage/invocation-record.js";
import { checkQuota, type OnDemandQuota, pruneQuotaEvents, type QuotaEvent } from "./admission-policy.js";
import { idFromProvisionedModelArn } from "./provisioned-model-arns.js";

export class OnDemandQuotas {
  private readonly events = new Map<string, QuotaEvent[]>();
  /** Request ids admitted and not yet recorded: their tokens are added when the ledger gets them. */
  private readonly pending = new Map<string, QuotaEvent>();

  constructor(
    private readonly quota: OnDemandQuota,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.quota.requestsPerMinute !== undefined || this.quota.tokensPerMinute !== undefined;
  }

  /** Admits one request of the key, or throws ThrottlingException. */
  admit(callerKeyId: string, requestId: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const events = pruneQuotaEvents(this.events.get(callerKeyId) ?? [], now);
    const decision = checkQuota(events, now, this.quota);
    if (decision.kind === "throttle") {
      this.events.set(callerKeyId, events);
      throw new ThrottlingException(decision.message);
    }
    const event = { at: now, tokens: 0 };
    events.push(event);
    this.events.set(callerKeyId, events);
    this.pending.set(requestId, event);
  }

  /** Admits one request unless it goes to a reservation (whose bound is the reservation), or throws. */
  admitOnDemand(
    callerKeyId: string,
    requestId: string,
    modelId: string,
    isReserved: (modelId: string) => boolean,
  ): void {
    if (idFromProvisionedModelArn(modelId) || isReserved(modelId)) return;
    this.admit(callerKeyId, requestId);
  }

  /** The usage recorder in front of the ledger: adds each finished request's tokens to its key's window. */
  recorder(ledger: UsageRecorder): UsageRecorder {
    return {
      record: (invocation: InvocationRecord) => {
        const event = this.pending.get(invocation.requestId);
        if (event) {
          event.tokens = invocation.inputTokens + invocation.outputTokens;
          this.pending.delete(invocation.requestId);
        }
        ledger.record(invocation);
      },
    };
  }

  /**
   * Runtime handlers that ask the quota first when their modelId is not a provisioned throughput; a refused
   * request is still an invocation of the usage ledger (status ThrottlingException, no tokens).
   */
  guard(
    handlers: Record<string, OperationHandler>,
    isReserved: (modelId: string) => boolean,
    usage: UsageRecorder,
  ): Record<string, OperationHandler> {
    if (!this.enabled) return handlers;
    const guarded = (name: string, handler: OperationHandler): OperationHandler =>
      operation<{ modelId?: string }, unknown>(async (context, input) => {
        const modelId = input.modelId ?? "";
        const startedAt = new Date();
        try {
          this.admitOnDemand(context.caller.keyId, context.requestId, modelId, isReserved);
        } catch (error) {
          usage.record({
            requestId: context.requestId,
            requestedModelId: modelId,
            modelId,
            servedBy: "LOCAL_ENGINE",
            operation: name,
            callerKeyId: context.caller.keyId,
            inputTokens: 0,
            outputTokens: 0,
            latencyMs: Date.now() - startedAt.getTime(),
            status: "ThrottlingException",
            startedAt,
          });
          throw error;
        }
        return (handler as (context: unknown, input: unknown) => Promise<unknown>)(context, input);
      });
    return Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        name === "CountTokens" ? handler : guarded(name, handler),
      ]),
    );
  }
}
