// A comparison: the prompts one after the other, each on every model at once, the models' events merged as they
// arrive into one stream. The runs share one abort signal: when the client goes away (or the stream is closed
// early) every generation still running is stopped and recorded as ClientClosedRequest by ConverseStream.
import type { RequestContext } from "../protocol/dispatcher.js";
import type { CompareModelsRequest, CompareModelsStream } from "../protocol/generated/strata-types.js";
import { converseRequestForPrompt, requestedFeatures } from "./converse-request-for-prompt.js";
import { mergeAsyncIterables } from "./merge-async-iterables.js";
import { type CompareDependencies, runModelForPrompt } from "./run-model-for-prompt.js";

export async function* compareModels(
  deps: CompareDependencies,
  context: RequestContext,
  input: CompareModelsRequest,
): AsyncGenerator<CompareModelsStream> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  context.signal.addEventListener("abort", stop, { once: true });
  try {
    for (const [promptIndex, prompt] of input.prompts.entries()) {
      if (controller.signal.aborted) return;
      yield {
        promptStart: {
          promptIndex,
          text: prompt.text,
          ...(prompt.system === undefined ? {} : { system: prompt.system }),
        },
      };
      const features = requestedFeatures(input, prompt);
      yield* mergeAsyncIterables(
        input.modelIds.map((modelId, modelIndex) =>
          runModelForPrompt(deps, {
            promptIndex,
            modelIndex,
            request: converseRequestForPrompt(input, modelId, prompt),
            features,
            // Each run is its own invocation in the usage ledger (and for the on-demand quota).
            context: {
              ...context,
              requestId: `${context.requestId}-${promptIndex + 1}-${modelIndex + 1}`,
              signal: controller.signal,
            },
          }),
        ),
      );
    }
  } finally {
    controller.abort();
    context.signal.removeEventListener("abort", stop);
  }
}
