// One model on one compare prompt: a start event with the capability warnings, the model's text as it is
// generated, then its result — time to first token and total latency measured here, tokens from the stream's
// metadata, cost priced the way the usage ledger prices the invocation. Never throws: a model that is refused
// or fails ends with an error result, and the other models of the comparison go on.
import type { Catalog } from "../catalog/catalog.js";
import type { InferenceEngine } from "../inference/engine/inference-engine.js";
import type { RuntimeModelResolver, RuntimeTarget } from "../inference/resolve-runtime-model.js";
import { AwsError } from "../protocol/aws-errors.js";
import type { OperationHandler, RequestContext } from "../protocol/dispatcher.js";
import type {
  ConverseStreamOutput,
  ConverseStreamRequest,
  ConverseStreamResponse,
} from "../protocol/generated/bedrock-runtime-types.js";
import type {
  CompareModelResultEvent,
  CompareModelsStream,
  InvocationServedBy,
} from "../protocol/generated/strata-types.js";
import { bedrockEquivalentOf } from "../usage/bedrock-equivalent.js";
import { type PriceList, priceInvocation } from "../usage/price-invocation.js";
import { capabilityWarnings, type RequestedFeatures } from "./capability-warnings.js";

export interface CompareDependencies {
  /** The runtime's ConverseStream operation (behind the on-demand quota), called in-process. */
  converseStream: OperationHandler;
  resolver: RuntimeModelResolver;
  catalog: Catalog;
  engine: Pick<InferenceEngine, "supportsTools">;
  prices: PriceList;
  parameterCountOf(modelId: string): Promise<number | undefined>;
}

export interface ModelRun {
  promptIndex: number;
  modelIndex: number;
  request: ConverseStreamRequest;
  features: RequestedFeatures;
  /** The comparison's context with this run's own request id and signal. */
  context: RequestContext;
}

interface Served {
  servedModelId: string;
  servedBy: InvocationServedBy;
}

export async function* runModelForPrompt(
  deps: CompareDependencies,
  run: ModelRun,
): AsyncGenerator<CompareModelsStream> {
  const { promptIndex, modelIndex } = run;
  const modelId = run.request.modelId;
  const startedAt = new Date();
  const started = performance.now();
  const { served, warnings } = await describeTarget(deps, modelId, run.features);
  yield { modelStart: { promptIndex, modelIndex, modelId, ...served, warnings } };

  let output = "";
  let timeToFirstTokenMs: number | undefined;
  let stopReason: string | undefined;
  let usage = { inputTokens: 0, outputTokens: 0 };
  const tool = { name: "", input: "" };
  const firstToken = () => {
    timeToFirstTokenMs ??= Math.round(performance.now() - started);
  };
  let failure: { errorType: string; errorMessage: string } | undefined;
  try {
    const response = (await (
      deps.converseStream as (context: RequestContext, input: unknown) => Promise<ConverseStreamResponse>
    )(run.context, run.request)) as { stream: AsyncIterable<ConverseStreamOutput> };
    for await (const event of response.stream) {
      const delta = event.contentBlockDelta?.delta;
      if (delta?.text !== undefined) {
        firstToken();
        output += delta.text;
        yield { textDelta: { promptIndex, modelIndex, text: delta.text } };
      } else if (delta?.toolUse) {
        tool.input += delta.toolUse.input;
      } else if (event.contentBlockStart?.start?.toolUse) {
        firstToken();
        tool.name = event.contentBlockStart.start.toolUse.name;
        tool.input = "";
      } else if (event.contentBlockStop && tool.name) {
        yield { toolUse: { promptIndex, modelIndex, name: tool.name, input: tool.input || "{}" } };
        tool.name = "";
      } else if (event.messageStop) {
        stopReason = event.messageStop.stopReason;
      } else if (event.metadata?.usage) {
        usage = {
          inputTokens: event.metadata.usage.inputTokens ?? 0,
          outputTokens: event.metadata.usage.outputTokens ?? 0,
        };
      }
    }
  } catch (error) {
    // Strata's own errors, or Bedrock's as the SDK raises them on pass-through (the name is the error type).
    const name = (error as Error)?.name;
    failure = {
      errorType:
        error instanceof AwsError
          ? error.errorType
          : name?.endsWith("Exception")
            ? name
            : "InternalServerException",
      errorMessage:
        error instanceof AwsError ? error.message : `the model's run failed: ${(error as Error)?.message}`,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  yield {
    modelResult: await result(deps, run, {
      served,
      warnings,
      output,
      latencyMs,
      usage,
      startedAt,
      ...(timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs }),
      ...(stopReason === undefined ? {} : { stopReason }),
      ...(failure ? { failure } : {}),
    }),
  };
}

async function result(
  deps: CompareDependencies,
  run: ModelRun,
  outcome: {
    served: Served | Record<string, never>;
    warnings: string[];
    output: string;
    latencyMs: number;
    usage: { inputTokens: number; outputTokens: number };
    startedAt: Date;
    timeToFirstTokenMs?: number;
    stopReason?: string;
    failure?: { errorType: string; errorMessage: string };
  },
): Promise<CompareModelResultEvent> {
  const { served, usage, latencyMs } = outcome;
  const modelId = run.request.modelId;
  const event: CompareModelResultEvent = {
    promptIndex: run.promptIndex,
    modelIndex: run.modelIndex,
    modelId,
    ...served,
    status: outcome.failure ? "error" : "success",
    ...(outcome.failure ?? {}),
    output: outcome.output,
    ...(outcome.stopReason === undefined ? {} : { stopReason: outcome.stopReason }),
    ...(outcome.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: outcome.timeToFirstTokenMs }),
    latencyMs,
    ...usage,
    ...(usage.outputTokens > 0 && latencyMs > 0
      ? { tokensPerSecond: usage.outputTokens / (latencyMs / 1000) }
      : {}),
    costUsd: 0,
    warnings: outcome.warnings,
  };
  if (!("servedModelId" in served)) return event;
  // Priced as the usage ledger prices the same invocation (the same function and price list).
  const work = {
    requestId: run.context.requestId,
    requestedModelId: modelId,
    modelId: served.servedModelId,
    servedBy: served.servedBy,
    operation: run.context.operationName,
    callerKeyId: run.context.caller.keyId,
    ...usage,
    latencyMs,
    status: outcome.failure?.errorType ?? "success",
    startedAt: outcome.startedAt,
  };
  const price = priceInvocation(work, deps.prices);
  event.costUsd = price.costUsd;
  event.priceBasis = price.basis;
  event.priceSource = price.source;
  if (!outcome.failure) {
    event.bedrockEquivalent = bedrockEquivalentOf(
      work,
      deps.prices,
      await deps.parameterCountOf(served.servedModelId),
    );
  }
  return event;
}

/** Who will serve the model and what it will not do. A model that cannot be resolved still gets its catalog's warnings. */
async function describeTarget(
  deps: CompareDependencies,
  modelId: string,
  features: RequestedFeatures,
): Promise<{ served: Served | Record<string, never>; warnings: string[] }> {
  let target: RuntimeTarget | undefined;
  try {
    target = await deps.resolver.resolve(modelId);
  } catch {
    // The run itself reports why; the catalog may still say what the model cannot do.
    const entry = await deps.catalog.get(modelId).catch(() => undefined);
    return { served: {}, warnings: entry ? capabilityWarnings(entry.model, features) : [] };
  }
  if (target.kind === "pass-through") {
    return {
      served: { servedModelId: target.bedrockModelId, servedBy: "PASS_THROUGH" },
      warnings: capabilityWarnings(target.entry.model, features),
    };
  }
  const toolSupport = features.tools
    ? await deps.engine.supportsTools(target.engineModel).catch(() => undefined)
    : undefined;
  return {
    // An alias is served by the local model standing in; a reservation by its provisioned-model ARN.
    served: {
      servedModelId: target.standInFor ? target.engineModel.modelId : target.entry.model.modelId,
      servedBy: "LOCAL_ENGINE",
    },
    warnings: capabilityWarnings(target.entry.model, features, toolSupport),
  };
}
