// The models an evaluation job names, resolved as the runtime resolves a modelId: a local model by id or ARN,
// a provisioned throughput by ARN (the only way to evaluate a custom model, as in Bedrock), never a custom
// model named directly. Generation then goes through the same admission as runtime traffic. A model Amazon
// Bedrock serves (pass-through) is refused: Strata evaluates what it runs.
import type { RuntimeModelResolver } from "../inference/resolve-runtime-model.js";
import { AwsError, ValidationException } from "../protocol/aws-errors.js";
import { type PriceList, priceInvocation } from "../usage/price-invocation.js";
import type { GenerationSettings } from "./evaluation-plan.js";
import type { ModelUnderEvaluation } from "./run/evaluate-example.js";

export type EvaluationModelResolver = (
  modelIdentifier: string,
  settings: GenerationSettings,
  /** The request field that named it, for the error message. */
  field: string,
) => Promise<ModelUnderEvaluation>;

export function evaluationModelResolver(
  resolver: RuntimeModelResolver,
  prices: PriceList,
): EvaluationModelResolver {
  return async (modelIdentifier, settings, field) => {
    let target: Awaited<ReturnType<RuntimeModelResolver["resolve"]>>;
    try {
      target = await resolver.resolve(modelIdentifier);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      throw new AwsError(error.errorType, error.statusCode, `${field} ${modelIdentifier}: ${error.message}`);
    }
    if (target.kind !== "local")
      throw new ValidationException(
        `${field} ${modelIdentifier}: the model is served by Amazon Bedrock (pass-through); Strata evaluates the models it runs itself (local models, and custom models through their provisioned throughput).`,
      );
    const servedModelId = target.entry.model.modelId;
    return {
      modelIdentifier,
      engineModel: target.engineModel,
      settings,
      price: (inputTokens, outputTokens) =>
        priceInvocation(
          {
            requestId: "evaluation",
            requestedModelId: modelIdentifier,
            modelId: servedModelId,
            servedBy: "LOCAL_ENGINE",
            operation: "EvaluationJob",
            callerKeyId: "evaluation",
            inputTokens,
            outputTokens,
            latencyMs: 0,
            status: "success",
            startedAt: new Date(0),
          },
          prices,
        ).costUsd,
    };
  };
}
