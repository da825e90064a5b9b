// The Bedrock runtime operations that take model-native bodies, keyed by operation name for the dispatcher.
import type { OperationHandler } from "../../protocol/dispatcher.js";
import type { RuntimeServices } from "../runtime-services.js";
import { countTokens } from "./count-tokens.js";
import { invokeModel } from "./invoke-model.js";
import { invokeModelWithResponseStream } from "./invoke-model-with-response-stream.js";

export function invokeModelOperations(runtime: RuntimeServices): Record<string, OperationHandler> {
  return {
    InvokeModel: invokeModel(runtime),
    InvokeModelWithResponseStream: invokeModelWithResponseStream(runtime),
    CountTokens: countTokens(runtime),
  };
}
