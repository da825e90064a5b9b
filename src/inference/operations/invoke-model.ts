// InvokeModel: a model-native JSON body in, that family's JSON response out, generated whole by the engine.
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import { unmodelledHeaders, type WithUnmodelledHeaders } from "../../protocol/encode-response.js";
import type {
  InvokeModelRequest,
  InvokeModelResponse,
} from "../../protocol/generated/bedrock-runtime-types.js";
import { collectGeneration } from "../engine/inference-engine.js";
import type { RuntimeServices } from "../runtime-services.js";
import { awsErrorFromEngineError } from "./aws-error-from-engine-error.js";
import { InvocationUsage } from "./invocation-usage.js";
import { passThroughNotAvailable } from "./pass-through-not-available.js";

// A forwarded native body's token counts live in that family's own response format (or the unmodelled
// X-Amzn-Bedrock-*-Token-Count headers, which the SDK does not expose); the ledger records the call with 0.
const forwardedUsage = { inputTokens: 0, outputTokens: 0 };

import { prepareNativeInvocation } from "./prepare-native-invocation.js";
import { assertAcceptsJson, readNativeBody } from "./read-native-body.js";

export function invokeModel(runtime: RuntimeServices): OperationHandler {
  return operation<InvokeModelRequest, InvokeModelResponse>(async (context, input) => {
    const target = await runtime.resolver.resolve(input.modelId);
    const usage = new InvocationUsage(runtime.usage, context, input.modelId, target);
    try {
      if (target.kind === "pass-through") {
        if (!runtime.passThrough) throw passThroughNotAvailable(context.operationName, target.bedrockModelId);
        const forwarded = await runtime.passThrough.invokeModel(
          { ...input, modelId: target.bedrockModelId },
          context.signal,
        );
        usage.succeeded(forwardedUsage);
        return forwarded;
      }
      assertAcceptsJson(input.accept, "Accept");
      const body = readNativeBody(input.body, input.contentType);
      const invocation = await prepareNativeInvocation(runtime.engine, target, body, { streaming: false });
      const generation = await collectGeneration(
        runtime.engine.generate({
          model: target.engineModel,
          prompt: invocation.prompt,
          sampling: invocation.sampling,
          signal: context.signal,
        }),
      );
      const responseBody = invocation.family.responseBody(generation, {
        modelId: invocation.responseModelId,
        requestId: context.requestId,
      });
      usage.succeeded(generation.end.usage, generation.end.timeToFirstTokenMs);
      const response: WithUnmodelledHeaders<InvokeModelResponse> = {
        body: new TextEncoder().encode(JSON.stringify(responseBody)),
        contentType: "application/json",
        // What real Bedrock adds to InvokeModel responses (callers read them with middleware).
        [unmodelledHeaders]: {
          "X-Amzn-Bedrock-Input-Token-Count": String(generation.end.usage.inputTokens),
          "X-Amzn-Bedrock-Output-Token-Count": String(generation.end.usage.outputTokens),
          "X-Amzn-Bedrock-Invocation-Latency": String(usage.elapsedMs()),
        },
      };
      return response;
    } catch (error) {
      const answered = awsErrorFromEngineError(error, target.entry.model.modelId);
      usage.failed(answered);
      throw answered;
    }
  });
}
