// What every runtime operation (Bedrock runtime, OpenAI-compatible API) needs, built once in start-strata.
import type { UsageRecorder } from "../usage/invocation-record.js";
import type { InferenceEngine } from "./engine/inference-engine.js";
import type { BedrockPassThrough } from "./pass-through/bedrock-pass-through.js";
import type { RuntimeModelResolver } from "./resolve-runtime-model.js";

export interface RuntimeServices {
  resolver: RuntimeModelResolver;
  engine: InferenceEngine;
  usage: UsageRecorder;
  /** Present when real AWS credentials are configured. */
  passThrough?: BedrockPassThrough;
  /**
   * The per-key on-demand quota (provisioned-throughput/on-demand-quotas.ts) for callers that are not Bedrock
   * runtime operations (those are guarded as a whole): throws ThrottlingException when the caller's key is over
   * it; requests to a reservation are not counted.
   */
  admitOnDemand?(callerKeyId: string, requestId: string, modelId: string): void;
}
