// Resolves the `model` of an OpenAI request to a model this host serves. OpenAI answers a model that does not
// exist, or that the caller cannot use, with 404 model_not_found; the OpenAI-compatible API serves local
// models (and Bedrock ids aliased to them) only, since pass-through forwards Bedrock-shaped requests.

import type { RuntimeTarget } from "../inference/resolve-runtime-model.js";
import { AccessDeniedException, AwsError, ValidationException } from "../protocol/aws-errors.js";
import { invalidRequest, modelNotFound } from "./openai-error.js";
import type { OpenAiRequestContext } from "./openai-request-context.js";

export type LocalTarget = Extract<RuntimeTarget, { kind: "local" }>;

export async function resolveOpenAiModel(context: OpenAiRequestContext, model: string): Promise<LocalTarget> {
  let target: RuntimeTarget;
  try {
    // Provisioned throughputs are not in the catalog: the resolver knows them (and refuses custom models).
    target = await context.runtime.resolver.resolve(model);
  } catch (error) {
    if (!(await context.catalog.get(model)) && !isKnownElsewhere(error)) throw modelNotFound(model);
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

/** Errors about a model id the catalog does not hold but the runtime knows (a reservation, a custom model). */
function isKnownElsewhere(error: unknown): boolean {
  return (
    error instanceof AwsError &&
    !(error instanceof ValidationException && error.message === "The provided model identifier is invalid.")
  );
}
