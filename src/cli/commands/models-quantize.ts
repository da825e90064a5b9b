// `strata models quantize MODEL --type q8_0|q4_k_m [--name NAME]`: the server quantizes a local model with
// llama.cpp's quantizer (through the native trainer addon) and registers the result as local.NAME
// (default: MODEL's name with -q8-0 or -q4-k-m appended).
import type {
  QuantizationType,
  QuantizeModelRequest,
  QuantizeModelResponse,
} from "../../protocol/generated/strata-types.js";
import { pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";

const types: readonly QuantizationType[] = ["q8_0", "q4_k_m"];
const usage = "usage: strata models quantize MODEL --type q8_0|q4_k_m [--name NAME] [--json]";

export async function quantizeModelCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    type: { type: "string" },
    name: { type: "string" },
  });
  const identifier = positionals[0];
  if (!identifier || !values.type) throw new CliError(usage, 2);
  const type = values.type.toLowerCase() as QuantizationType;
  if (!types.includes(type))
    throw new CliError(`--type must be one of ${types.join(", ")}, not ${values.type}\n${usage}`, 2);
  const request: Omit<QuantizeModelRequest, "modelIdentifier"> = {
    quantizationType: type,
    ...(values.name ? { modelName: values.name } : {}),
  };
  const config = configFromFlags(values, environment);
  if (process.stderr.isTTY) process.stderr.write(`quantizing ${identifier} to ${type}…\n`);
  const quantized = await apiClientFor(config, values.endpoint).call<QuantizeModelResponse>({
    method: "POST",
    path: `/strata/models/${pathLabel(identifier)}/quantize`,
    body: request,
  });
  if (values.json) {
    output.write(JSON.stringify(quantized, null, 2));
    return;
  }
  const mib = (bytes: number) => (bytes / 1_048_576).toFixed(1);
  output.write(
    `Created ${quantized.modelId} (${quantized.quantizationType} of ${quantized.sourceModelId}): ${mib(quantized.sourceFileSizeBytes)} → ${mib(quantized.fileSizeBytes)} MiB in ${(quantized.totalSeconds ?? 0).toFixed(1)} s`,
  );
}
