// One compare prompt on one model as a ConverseStream request: the prompt is the user turn (its images after the
// text, as Bedrock's content blocks), the system prompt and tools as Converse carries them. The compare request
// was decoded against its own shapes at the edge; what those shapes cannot say is checked here, once, before
// the stream begins, so that it is an ordinary 400 naming the member.
import { ValidationException } from "../protocol/aws-errors.js";
import type { ContentBlock, ConverseStreamRequest } from "../protocol/generated/bedrock-runtime-types.js";
import type { CompareModelsRequest, ComparePrompt } from "../protocol/generated/strata-types.js";
import type { RequestedFeatures } from "./capability-warnings.js";

export function validateCompareRequest(input: CompareModelsRequest): void {
  const seen = new Set<string>();
  for (const [index, tool] of (input.tools ?? []).entries()) {
    const schema = tool.inputSchema;
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw new ValidationException(
        `tools.${index + 1}.inputSchema must be a JSON Schema object, not ${JSON.stringify(schema)}.`,
      );
    }
    if (seen.has(tool.name)) {
      throw new ValidationException(`tools.${index + 1}.name ${tool.name} is given more than once.`);
    }
    seen.add(tool.name);
  }
  for (const [index, prompt] of input.prompts.entries()) {
    if (prompt.text.trim() === "") throw new ValidationException(`prompts.${index + 1}.text is blank.`);
  }
}

export function requestedFeatures(input: CompareModelsRequest, prompt: ComparePrompt): RequestedFeatures {
  return {
    image: (prompt.images?.length ?? 0) > 0,
    system: prompt.system !== undefined,
    tools: (input.tools?.length ?? 0) > 0,
  };
}

export function converseRequestForPrompt(
  input: CompareModelsRequest,
  modelId: string,
  prompt: ComparePrompt,
): ConverseStreamRequest {
  const content: ContentBlock[] = [{ text: prompt.text }];
  for (const image of prompt.images ?? []) {
    content.push({ image: { format: image.format, source: { bytes: image.bytes } } });
  }
  return {
    modelId,
    messages: [{ role: "user", content }],
    ...(prompt.system === undefined ? {} : { system: [{ text: prompt.system }] }),
    ...(input.inferenceConfig ? { inferenceConfig: { ...input.inferenceConfig } } : {}),
    ...(input.tools?.length
      ? {
          toolConfig: {
            tools: input.tools.map((tool) => ({
              toolSpec: {
                name: tool.name,
                ...(tool.description === undefined ? {} : { description: tool.description }),
                inputSchema: { json: tool.inputSchema },
              },
            })),
          },
        }
      : {}),
  };
}
