// Resolves the `model` of an OpenAI request to a model this host serves. OpenAI answers a model that does not
// exist, or that the caller cannot use, with 404 model_not_found; the OpenAI-compatible API serves local
// models (and Bedrock ids aliased to them) only, since pass-through forwards Bedrock-shaped requests.

import type { RuntimeTarget } from "../inference/resolve-runtime-model.js";
import { AccessDeniedException } from "../protocol/aws-errors.js";
import { invalidRequest, modelNotFound } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";

export type LocalTarget = Extract<RuntimeTarget, { kind: "local" }>;

export async function resolveOpenAiModel(context: OpenAiRequestContext, model: string): Promise<LocalTarget> {
  if (!(await context.catalog.get(model))) throw modelNotFound(model);
  let target: RuntimeTarget;
  try {
    target = await context.runtime.resolver.resolve(model);
  } catch (error) {
    if (error instanceof AccessDeniedException) {
      throw modelNotFound(model, `The model \`${model}\` cannot be served by this host. ${error.message}`);
    }
    throw error;
  }
  if (target.kind !== "local") {
    throw invalidRequest(
      `The model \`${model}\` is served by pass-through to Amazon Bedrock, which the OpenAI-compatible API does not forward: call it through the Bedrock runtime API, or alias it to a local model.`,
      "model",
      "model_not_supported",
    );
  }
  return target;
}
