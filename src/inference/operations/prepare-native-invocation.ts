// Everything InvokeModel and InvokeModelWithResponseStream share before the engine runs: which native format
// the body uses, its translation to the engine's prompt and sampling options, and the checks of what the
// request needs against what the model can do.
import { ValidationException } from "../../protocol/aws-errors.js";
import type { InferenceEngine, Prompt, SamplingOptions } from "../engine/inference-engine.js";
import { detectNativeFamily } from "../native-bodies/detect-native-family.js";
import type { NativeFamily } from "../native-bodies/native-family.js";
import { assertCapabilities, type RuntimeTarget } from "../resolve-runtime-model.js";

export type LocalTarget = Extract<RuntimeTarget, { kind: "local" }>;

export interface NativeInvocation {
  family: NativeFamily;
  prompt: Prompt;
  sampling: SamplingOptions;
  /** The model id the response names: the catalog entry the caller asked for. */
  responseModelId: string;
}

export async function prepareNativeInvocation(
  engine: InferenceEngine,
  target: LocalTarget,
  body: unknown,
  options: { streaming: boolean },
): Promise<NativeInvocation> {
  const { model } = target.entry;
  const family = detectNativeFamily(target.standInFor ?? model.modelId, body);
  const parsed = family.parseRequest(
    body,
    model.maxOutputTokens === undefined ? {} : { maxOutputTokens: model.maxOutputTokens },
  );
  if (!parsed.ok) throw new ValidationException(`Malformed input request: ${parsed.message}`);
  const { prompt } = parsed;
  const tools = prompt.kind === "chat" && (prompt.tools?.length ?? 0) > 0;
  assertCapabilities(target.entry, { streaming: options.streaming, tools });
  if (tools && !(await engine.supportsTools(target.engineModel))) {
    throw new ValidationException(
      `The model ${model.modelId} does not support tool use: the chat template of ${target.engineModel.modelId} cannot carry tools.`,
    );
  }
  return { family, prompt, sampling: parsed.sampling, responseModelId: model.modelId };
}
