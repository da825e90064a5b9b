// What an invocation would have cost on Amazon Bedrock at its published on-demand prices. Pure: the prices and
// the parameter count come in. In order:
//   0. refused or failed before any token: nothing (Bedrock does not bill a refused request);
//   1. pass-through: Bedrock billed it — the figure is the ledger's own price;
//   2. an alias (the caller asked for a Bedrock id, a local model answered): that Bedrock model's price;
//   3. traffic on a provisioned throughput: none per token — Bedrock bills reservations by model-unit hours;
//   4. a local model: the Bedrock model of its size class (bedrock-size-class.ts);
//   otherwise none, with the reason.
import { modelIdFromIdentifier } from "../catalog/catalog.js";
import { idFromProvisionedModelArn } from "../provisioned-throughput/provisioned-model-arns.js";
import { describeParameterCount, inferenceSizeClasses, sizeClassOf } from "./bedrock-size-class.js";
import type { InvocationRecord } from "./invocation-record.js";
import { bedrockPriceOf, type PriceList, type TokenPrice } from "./price-invocation.js";

export interface BedrockEquivalent {
  /** Absent when Bedrock has no equivalent. */
  costUsd?: number;
  bedrockModelId?: string;
  /** How the figure was made, or why there is none. */
  basis: string;
}

export type PricedWork = Pick<
  InvocationRecord,
  "servedBy" | "modelId" | "requestedModelId" | "inputTokens" | "outputTokens" | "status"
>;

function costAt(work: PricedWork, price: TokenPrice): number {
  return (
    (work.inputTokens / 1000) * price.inputPer1kTokens + (work.outputTokens / 1000) * price.outputPer1kTokens
  );
}

/** `parameterCount` of the local model that served it, when known. */
export function bedrockEquivalentOf(
  work: PricedWork,
  prices: PriceList,
  parameterCount: number | undefined,
): BedrockEquivalent {
  if (work.status !== "success" && work.inputTokens === 0 && work.outputTokens === 0) {
    return { costUsd: 0, basis: "refused or failed before any token: Bedrock charges nothing" };
  }
  if (work.servedBy === "PASS_THROUGH") {
    const price = bedrockPriceOf(prices, work.modelId) ?? bedrockPriceOf(prices, work.requestedModelId);
    if (!price) return { basis: `no Bedrock on-demand token price for ${work.modelId} in the catalog` };
    return {
      costUsd: costAt(work, price),
      bedrockModelId: modelIdFromIdentifier(work.modelId),
      basis: "served by Amazon Bedrock (pass-through): its own on-demand price",
    };
  }
  const requested = modelIdFromIdentifier(work.requestedModelId);
  const aliasPrice = bedrockPriceOf(prices, requested);
  if (aliasPrice) {
    return {
      costUsd: costAt(work, aliasPrice),
      bedrockModelId: requested,
      basis: `served locally for ${requested} (alias): that model's on-demand price`,
    };
  }
  if (idFromProvisionedModelArn(work.modelId)) {
    return {
      basis:
        "traffic on a provisioned throughput: Bedrock bills it by model-unit hours, not tokens (see reservations)",
    };
  }
  if (parameterCount === undefined) {
    return { basis: `the parameter count of ${work.modelId} is unknown (no longer registered?)` };
  }
  const sizeClass = sizeClassOf(inferenceSizeClasses, parameterCount);
  if (!sizeClass) {
    return {
      basis: `no Bedrock model of the size class of ${work.modelId} (${describeParameterCount(parameterCount)} parameters)`,
    };
  }
  const price = bedrockPriceOf(prices, sizeClass.bedrockModelId);
  if (!price) return { basis: `no on-demand token price for ${sizeClass.bedrockModelId} in the catalog` };
  return {
    costUsd: costAt(work, price),
    bedrockModelId: sizeClass.bedrockModelId,
    basis: `size class ${sizeClass.label} (${describeParameterCount(parameterCount)}): ${sizeClass.bedrockModelId} on-demand price`,
  };
}
