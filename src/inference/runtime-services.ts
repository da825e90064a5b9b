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
}
