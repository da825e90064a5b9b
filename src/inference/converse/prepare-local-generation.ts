// What Converse, ConverseStream and the native InvokeModel bodies share once their wire format is parsed:
// resolve the model, enforce its capabilities and ranges, and turn engine failures into AWS errors.
import {
  type AwsError,
  ModelErrorException,
  ModelStreamErrorException,
  NotImplementedException,
  ValidationException,
} from "../../protocol/aws-errors.js";
import {
  EngineError,
  type EngineModel,
  type Prompt,
  type SamplingOptions,
} from "../engine/inference-engine.js";
import {
  assertCapabilities,
  type RequestedCapabilities,
  type RuntimeTarget,
} from "../resolve-runtime-model.js";
import type { RuntimeServices } from "../runtime-services.js";

export const defaultMaxTokens = 512;

export interface PreparedGeneration {
  target: Extract<RuntimeTarget, { kind: "local" }>;
  engineModel: EngineModel;
}

/** `target` is resolved once by the caller, which forwards pass-through targets before getting here. */
export async function prepareLocalGeneration(
  runtime: RuntimeServices,
  target: RuntimeTarget,
  requested: RequestedCapabilities,
  prompt: Prompt,
  sampling: SamplingOptions,
): Promise<PreparedGeneration> {
  if (target.kind !== "local") {
    throw new NotImplementedException(`pass-through of ${target.bedrockModelId} to Amazon Bedrock`);
  }
  assertCapabilities(target.entry, requested);
  const engineModel = target.engineModel;
  const contextLength = await runtime.engine.contextLength(engineModel).catch(rethrowAsAwsError(false));
  if (sampling.maxTokens < 1 || sampling.maxTokens > contextLength) {
    throw new ValidationException(
      `maxTokens ${sampling.maxTokens} is out of range for ${target.entry.model.modelId}: it allows 1 to ${contextLength}.`,
    );
  }
  if (prompt.kind === "chat" && prompt.tools?.length && !(await runtime.engine.supportsTools(engineModel))) {
    throw new ValidationException(
      `The model ${target.entry.model.modelId} does not support tool use: its chat template has no tool support.`,
    );
  }
  return { target, engineModel };
}

/** Engine failures as the AWS errors a client can act on; in a stream they travel as stream exceptions. */
export function rethrowAsAwsError(streaming: boolean) {
  return (error: unknown): never => {
    if (!(error instanceof EngineError)) throw error;
    let mapped: AwsError;
    if (error.kind === "context-overflow" || error.kind === "unsupported")
      mapped = new ValidationException(error.message);
    else if (streaming) mapped = new ModelStreamErrorException(error.message, 500, error.message);
    else mapped = new ModelErrorException(error.message, 500);
    throw mapped;
  };
}
