// Prices one invocation. Pure: the prices come in, nothing is read from disk or the clock.
//
// - PASS_THROUGH: the Bedrock on-demand price of the model from the catalog (bedrock-models.json).
// - LOCAL_ENGINE: the local price table (per-model override, else its default).
// - LOCAL_ENGINE standing in for a Bedrock id (an alias): charged at the LOCAL price; what Bedrock would have
//   charged for the same tokens is priced too and kept next to it (`bedrockEquivalent`).
// - No token price known (an image/video model, a provisioned-only variant, a model missing from the
//   catalog): cost 0 with basis "unpriced", so the ledger still records the invocation.

import type { BedrockModelEntry } from "../catalog/bedrock-catalog/bedrock-model-entry.js";
import { modelIdFromIdentifier } from "../catalog/catalog.js";
import type { InvocationRecord } from "./invocation-record.js";

/** A price per 1,000 tokens (USD) and where the figure came from. */
export interface TokenPrice {
  inputPer1kTokens: number;
  outputPer1kTokens: number;
  /** Where the figure comes from: a page and its date, or how an estimate was made. */
  source: string;
}

export interface LocalTokenPrice {
  inputPer1kTokens: number;
  outputPer1kTokens: number;
  /** Defaults to a note that the figure was configured by the operator. */
  source?: string;
}

/** What serving a token on this host costs: a default for every local model, and per-model overrides. */
export interface LocalPriceTable {
  default: LocalTokenPrice;
  models?: Record<string, LocalTokenPrice>;
}

/*
 * The default local price is an ESTIMATE of what a token costs on a typical single-user host, not a
 * measurement of this one. How it was made:
 *   - power: ~350 W drawn by a workstation with a consumer GPU while it generates, at $0.17/kWh
 *     (roughly the US average residential rate, 2024-2025)                           → $0.0595 per hour
 *   - hardware: $2,000 of machine written off over 3 years of continuous use          → $0.0761 per hour
 *     together ≈ $0.136 per hour ≈ $0.0000377 per second of work
 *   - throughput: llama.cpp serving a 7-8B model (Q4/Q8) to one request at a time, ~1,000 prompt tokens/s
 *     and ~50 generated tokens/s
 *   - 1K prompt tokens ≈ 1 s ≈ $0.0000377 → 0.00004;  1K generated tokens ≈ 20 s ≈ $0.00075.
 * Idle time, cooling, space and labour are not counted; a busier, smaller or larger model, a different
 * electricity rate or a server GPU changes the figure by an order of magnitude either way. Operators set
 * their own in the local price table.
 */
export const defaultLocalPriceTable: LocalPriceTable = {
  default: {
    inputPer1kTokens: 0.00004,
    outputPer1kTokens: 0.00075,
    source:
      "Strata default estimate, not measured on this host: ~$0.136/hour (350 W at $0.17/kWh plus $2,000 of " +
      "hardware over 3 years) at ~1,000 prompt tokens/s and ~50 generated tokens/s, one request at a time. " +
      "Set your own local prices to replace it.",
  },
};

/** The prices priceInvocation works from. */
export interface PriceList {
  /** Bedrock on-demand text prices by model id (models without a per-token price are absent). */
  bedrock: Readonly<Record<string, TokenPrice>>;
  local: LocalPriceTable;
}

/** How a cost was arrived at. */
export type PriceBasis = "bedrock-on-demand" | "local-model" | "local-default" | "unpriced";
export const PRICE_BASES: readonly PriceBasis[] = [
  "bedrock-on-demand",
  "local-model",
  "local-default",
  "unpriced",
];

export interface BedrockEquivalentCost {
  /** The Bedrock model id the local model stood in for. */
  modelId: string;
  costUsd: number;
  inputPer1kTokens: number;
  outputPer1kTokens: number;
  source: string;
}

export interface InvocationPrice {
  costUsd: number;
  basis: PriceBasis;
  /** The unit prices used (0 when unpriced). */
  inputPer1kTokens: number;
  outputPer1kTokens: number;
  source: string;
  /** Only when a local model served a Bedrock id (an alias): what Bedrock would have charged. */
  bedrockEquivalent?: BedrockEquivalentCost;
}

const configuredSource = "local price table (configured)";

/** Builds the price list from the Bedrock catalog entries and a local price table. */
export function pricesFromCatalog(
  bedrockModels: readonly BedrockModelEntry[],
  local: LocalPriceTable = defaultLocalPriceTable,
): PriceList {
  const bedrock: Record<string, TokenPrice> = {};
  for (const entry of bedrockModels) {
    const onDemand = entry.pricing.onDemand;
    if (!onDemand) continue;
    const { inputPer1kTokens, outputPer1kTokens } = onDemand;
    // Per-token prices only: image and video models are priced per image / second, which a token count
    // cannot price. An embedding model has an input price only; its output tokens are free.
    if (inputPer1kTokens === undefined && outputPer1kTokens === undefined) continue;
    bedrock[entry.modelId] = {
      inputPer1kTokens: inputPer1kTokens ?? 0,
      outputPer1kTokens: outputPer1kTokens ?? 0,
      source: `Bedrock on-demand ${onDemand.region} list price (${onDemand.confidence}), ${onDemand.source}, as of ${onDemand.asOf}`,
    };
  }
  return { bedrock, local };
}

function costOf(record: InvocationRecord, price: { inputPer1kTokens: number; outputPer1kTokens: number }) {
  const cost =
    (Math.max(0, record.inputTokens) / 1000) * price.inputPer1kTokens +
    (Math.max(0, record.outputTokens) / 1000) * price.outputPer1kTokens;
  return Number.isFinite(cost) ? cost : 0;
}

/** Cross-region inference profile prefixes: `us.anthropic…` is billed as `anthropic…` in its source region. */
const inferenceProfilePrefix = /^(us|us-gov|eu|apac|ca|jp|au|global)\./;

/** The Bedrock price of an identifier (model id, foundation-model ARN, or inference-profile id). */
export function bedrockPriceOf(prices: PriceList, identifier: string): TokenPrice | undefined {
  const modelId = modelIdFromIdentifier(identifier);
  const exact = prices.bedrock[modelId];
  if (exact) return exact;
  const base = modelId.replace(inferenceProfilePrefix, "");
  const viaProfile = base === modelId ? undefined : prices.bedrock[base];
  return viaProfile ? { ...viaProfile, source: `${viaProfile.source} (priced as ${base})` } : undefined;
}

export function priceInvocation(record: InvocationRecord, prices: PriceList): InvocationPrice {
  if (record.servedBy === "PASS_THROUGH") {
    const price = bedrockPriceOf(prices, record.modelId) ?? bedrockPriceOf(prices, record.requestedModelId);
    if (!price) return unpriced(`no Bedrock on-demand token price for ${record.modelId} in the catalog`);
    return { costUsd: costOf(record, price), basis: "bedrock-on-demand", ...price };
  }

  const override = prices.local.models?.[record.modelId];
  const local = override ?? prices.local.default;
  const priced: InvocationPrice = {
    costUsd: costOf(record, local),
    basis: override ? "local-model" : "local-default",
    inputPer1kTokens: local.inputPer1kTokens,
    outputPer1kTokens: local.outputPer1kTokens,
    source: local.source ?? configuredSource,
  };
  // An alias: the caller asked for a Bedrock id and a local model answered.
  const requested = modelIdFromIdentifier(record.requestedModelId);
  if (requested !== record.modelId) {
    const bedrock = bedrockPriceOf(prices, requested);
    if (bedrock) {
      priced.bedrockEquivalent = {
        modelId: requested,
        costUsd: costOf(record, bedrock),
        inputPer1kTokens: bedrock.inputPer1kTokens,
        outputPer1kTokens: bedrock.outputPer1kTokens,
        source: bedrock.source,
      };
    }
  }
  return priced;
}

function unpriced(source: string): InvocationPrice {
  return { costUsd: 0, basis: "unpriced", inputPer1kTokens: 0, outputPer1kTokens: 0, source };
}

/**
 * Reads a local price table from configuration (JSON): `{ "default": { "inputPer1kTokens": n,
 * "outputPer1kTokens": n, "source"?: s }, "models"?: { "<modelId>": { ... } } }`. A missing default takes
 * defaultLocalPriceTable's. Throws an Error naming the first bad field.
 */
export function parseLocalPriceTable(value: unknown, where = "localPrices"): LocalPriceTable {
  if (!isRecord(value)) throw new Error(`${where} must be an object`);
  for (const key of Object.keys(value)) {
    if (key !== "default" && key !== "models") throw new Error(`${where}.${key} is not a known field`);
  }
  const table: LocalPriceTable = {
    default:
      value.default === undefined
        ? defaultLocalPriceTable.default
        : parseLocalTokenPrice(value.default, `${where}.default`),
  };
  if (value.models !== undefined) {
    if (!isRecord(value.models)) throw new Error(`${where}.models must be an object`);
    table.models = {};
    for (const [modelId, price] of Object.entries(value.models)) {
      table.models[modelId] = parseLocalTokenPrice(price, `${where}.models.${modelId}`);
    }
  }
  return table;
}

function parseLocalTokenPrice(value: unknown, where: string): LocalTokenPrice {
  if (!isRecord(value)) throw new Error(`${where} must be an object`);
  for (const key of Object.keys(value)) {
    if (key !== "inputPer1kTokens" && key !== "outputPer1kTokens" && key !== "source") {
      throw new Error(`${where}.${key} is not a known field`);
    }
  }
  const price = (key: "inputPer1kTokens" | "outputPer1kTokens"): number => {
    const number = value[key];
    if (typeof number !== "number" || !Number.isFinite(number) || number < 0) {
      throw new Error(`${where}.${key} must be a number >= 0 (USD per 1,000 tokens)`);
    }
    return number;
  };
  const parsed: LocalTokenPrice = {
    inputPer1kTokens: price("inputPer1kTokens"),
    outputPer1kTokens: price("outputPer1kTokens"),
  };
  if (value.source !== undefined) {
    if (typeof value.source !== "string" || value.source.trim() === "") {
      throw new Error(`${where}.source must be a non-empty string`);
    }
    parsed.source = value.source;
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
