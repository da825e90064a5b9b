// `strata classify -m MODEL TEXT…`: Strata's Classify on a transfer-learning custom model's provisioned
// throughput (MODEL: its ARN or name). One line per text: the label, its probability, and the text's beginning.
import type { ClassifyResponse } from "../../protocol/generated/strata-types.js";
import { pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";

const usage = "usage: strata classify -m PROVISIONED_MODEL_ARN|NAME TEXT [TEXT …] [--json]";

export async function classifyCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    model: { type: "string", short: "m" },
  });
  if (!values.model || positionals.length === 0) throw new CliError(usage, 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const response = await api.call<ClassifyResponse>({
    method: "POST",
    path: `/strata/model/${pathLabel(values.model)}/classify`,
    body: { texts: positionals },
  });
  if (values.json) {
    output.write(JSON.stringify(response, null, 2));
    return;
  }
  const width = Math.max(...response.labels.map((label) => label.length));
  for (const [index, result] of response.results.entries()) {
    const text = (positionals[index] ?? "").replace(/\s+/g, " ");
    const probability = result.probabilities[result.label] ?? 0;
    output.write(
      `${result.label.padEnd(width)}  ${probability.toFixed(3)}  ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`,
    );
  }
}
