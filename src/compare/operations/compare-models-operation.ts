// CompareModels (`POST /strata/compare`, `strata compare`): the same prompts on several models at once, streamed
// side by side as one event stream.
//
// Why an operation that fans out in-process rather than a CLI that opens one ConverseStream per model: every
// model starts at the same instant on the server, so times to first token are comparable (no client-side
// connection set-up or HTTP/2 stream limits in between); one request carries the whole comparison, so the CLI
// and the console stay thin clients of one call; and the operation stays free of HTTP, because it calls the
// runtime's ConverseStream *operation function* (with its quota guard, capability checks, pass-through and
// provisioned-throughput routing and usage recording) directly — concurrency comes from the engine, which runs
// each model's generation on its own sequence while the event loop interleaves their tokens.
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type { CompareModelsRequest, CompareModelsResponse } from "../../protocol/generated/strata-types.js";
import { compareModels } from "../compare-models.js";
import { validateCompareRequest } from "../converse-request-for-prompt.js";
import type { CompareDependencies } from "../run-model-for-prompt.js";

/** `runtimeOperations`: the Bedrock runtime's handlers as the dispatcher serves them (quota-guarded). */
export function compareModelsOperation(
  runtimeOperations: Readonly<Record<string, OperationHandler>>,
  services: Omit<CompareDependencies, "converseStream">,
): OperationHandler {
  const converseStream = runtimeOperations.ConverseStream;
  if (!converseStream) throw new Error("CompareModels needs the runtime's ConverseStream operation");
  const deps: CompareDependencies = { ...services, converseStream };
  return operation<CompareModelsRequest, CompareModelsResponse>(async (context, input) => {
    validateCompareRequest(input);
    return { stream: compareModels(deps, context, input) };
  });
}
