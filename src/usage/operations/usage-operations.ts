// The Strata extension operations over the usage ledger. An admin key sees every caller's usage; any other
// key sees only the invocations it made itself.

import { ValidationException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation, type RequestContext } from "../../protocol/dispatcher.js";
import type {
  GetUsageSummaryRequest,
  GetUsageSummaryResponse,
  InvocationSummary,
  ListInvocationsRequest,
  ListInvocationsResponse,
} from "../../protocol/generated/strata-types.js";
import { paginate } from "../../protocol/paginate.js";
import type { RecordedInvocation, UsageLedger } from "../usage-ledger.js";

/** Limits a non-admin caller to its own invocations. */
function callerScope(context: RequestContext): { callerKeyId?: string } {
  return context.caller.isAdmin ? {} : { callerKeyId: context.caller.keyId };
}

function timeRange(from: Date | undefined, to: Date | undefined): { from?: Date; to?: Date } {
  if (from && to && from.getTime() > to.getTime()) {
    throw new ValidationException(
      `The time range is empty: from (${from.toISOString()}) is after to (${to.toISOString()}).`,
    );
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export function invocationSummary(invocation: RecordedInvocation): InvocationSummary {
  const { price } = invocation;
  return {
    requestId: invocation.requestId,
    requestedModelId: invocation.requestedModelId,
    modelId: invocation.modelId,
    servedBy: invocation.servedBy,
    operation: invocation.operation,
    callerKeyId: invocation.callerKeyId,
    inputTokens: invocation.inputTokens,
    outputTokens: invocation.outputTokens,
    ...(invocation.timeToFirstTokenMs === undefined
      ? {}
      : { timeToFirstTokenMs: invocation.timeToFirstTokenMs }),
    latencyMs: invocation.latencyMs,
    status: invocation.status,
    startTime: invocation.startedAt,
    costUsd: price.costUsd,
    priceBasis: price.basis,
    inputPricePer1kTokens: price.inputPer1kTokens,
    outputPricePer1kTokens: price.outputPer1kTokens,
    priceSource: price.source,
    ...(price.bedrockEquivalent
      ? {
          bedrockEquivalent: {
            modelId: price.bedrockEquivalent.modelId,
            costUsd: price.bedrockEquivalent.costUsd,
            inputPricePer1kTokens: price.bedrockEquivalent.inputPer1kTokens,
            outputPricePer1kTokens: price.bedrockEquivalent.outputPer1kTokens,
            priceSource: price.bedrockEquivalent.source,
          },
        }
      : {}),
  };
}

export function usageOperations(ledger: UsageLedger): Record<string, OperationHandler> {
  return {
    ListInvocations: operation<ListInvocationsRequest, ListInvocationsResponse>(async (context, input) => {
      const invocations = await ledger.query({
        ...timeRange(input.from, input.to),
        ...(input.modelId === undefined ? {} : { modelId: input.modelId }),
        ...callerScope(context),
      });
      const page = paginate(invocations, input.maxResults, input.nextToken);
      return {
        invocations: page.items.map(invocationSummary),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }),
    GetUsageSummary: operation<GetUsageSummaryRequest, GetUsageSummaryResponse>(async (context, input) => {
      const groupBy = input.groupBy ?? "model";
      const groups = await ledger.summarize({
        ...timeRange(input.from, input.to),
        groupBy,
        ...callerScope(context),
      });
      return { groupBy, groups };
    }),
  };
}
