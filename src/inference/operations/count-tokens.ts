// CountTokens: the tokens a request would take as input — an InvokeModel body in its native format, or a
// Converse conversation — counted by the engine with the model's own tokenizer and chat template.
import { ValidationException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type {
  CountTokensRequest,
  CountTokensResponse,
} from "../../protocol/generated/bedrock-runtime-types.js";
import type { Prompt } from "../engine/inference-engine.js";
import { converseChatPrompt } from "../native-bodies/converse-conversation.js";
import type { RuntimeServices } from "../runtime-services.js";
import { awsErrorFromEngineError } from "./aws-error-from-engine-error.js";
import { passThroughNotAvailable } from "./pass-through-not-available.js";
import { type LocalTarget, prepareNativeInvocation } from "./prepare-native-invocation.js";
import { parseJsonBody } from "./read-native-body.js";

export function countTokens(runtime: RuntimeServices): OperationHandler {
  return operation<CountTokensRequest, CountTokensResponse>(async (context, input) => {
    const target = await runtime.resolver.resolve(input.modelId);
    if (target.kind === "pass-through") {
      if (!runtime.passThrough) throw passThroughNotAvailable(context.operationName, target.bedrockModelId);
      return runtime.passThrough.countTokens({ ...input, modelId: target.bedrockModelId }, context.signal);
    }
    try {
      const prompt = await promptOf(runtime, target, input);
      return { inputTokens: await runtime.engine.countTokens(target.engineModel, prompt) };
    } catch (error) {
      throw awsErrorFromEngineError(error, target.entry.model.modelId);
    }
  });
}

async function promptOf(
  runtime: RuntimeServices,
  target: LocalTarget,
  input: CountTokensRequest,
): Promise<Prompt> {
  const { invokeModel, converse } = input.input;
  if (invokeModel) {
    const body = parseJsonBody(invokeModel.body);
    return (await prepareNativeInvocation(runtime.engine, target, body, { streaming: false })).prompt;
  }
  if (converse) {
    const parsed = converseChatPrompt(converse);
    if (!parsed.ok) throw new ValidationException(`input.converse: ${parsed.message}`);
    return parsed.prompt;
  }
  throw new ValidationException(
    "input must hold invokeModel {body} or converse {messages, system?, toolConfig?}.",
  );
}
