// The runtime operations as far as this build serves them: every call resolves its model first, so unknown
// and catalog-only models already get Bedrock's answers; serving a resolved model needs the local inference
// engine, which is not part of this build yet and says so with a well-formed error.
import type { Catalog } from "../../catalog/catalog.js";
import { NotImplementedException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import { resolveRuntimeModel } from "../resolve-runtime-model.js";

const modelOperations = [
  "Converse",
  "ConverseStream",
  "InvokeModel",
  "InvokeModelWithResponseStream",
  "CountTokens",
] as const;

export function runtimeOperations(catalog: Catalog): Record<string, OperationHandler> {
  const handlers: Record<string, OperationHandler> = {};
  for (const name of modelOperations) {
    handlers[name] = operation<{ modelId: string }, never>(async (_context, input) => {
      await resolveRuntimeModel(catalog, input.modelId);
      throw new NotImplementedException(name);
    });
  }
  return handlers;
}
