// `strata config`: the effective configuration (secrets masked) and the lines that point AWS SDKs at Strata.
import { credentialsFilePath } from "../../auth/credentials-file.js";
import type { StrataConfig } from "../../config/strata-config.js";
import {
  apiEndpoint,
  type CommandEnvironment,
  configFromFlags,
  configOptions,
  parseCommandArgs,
} from "../command-context.js";
import { endpointExportLines } from "../endpoint-exports.js";

function masked(config: StrataConfig): Record<string, unknown> {
  const objectStore =
    config.objectStore.kind === "s3"
      ? {
          ...config.objectStore,
          ...(config.objectStore.secretAccessKey ? { secretAccessKey: "****" } : {}),
        }
      : config.objectStore;
  const passThrough = config.passThrough
    ? {
        ...config.passThrough,
        secretAccessKey: "****",
        ...(config.passThrough.sessionToken ? { sessionToken: "****" } : {}),
      }
    : undefined;
  return { ...config, objectStore, ...(passThrough ? { passThrough } : {}) };
}

export async function configCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values } = parseCommandArgs(argv, { ...configOptions, json: { type: "boolean" } });
  const config = configFromFlags(values, environment);
  const apiUrl = apiEndpoint(config);
  const s3Url =
    config.objectStore.kind === "embedded"
      ? `http://${config.objectStore.host}:${config.objectStore.port}`
      : (config.objectStore.endpoint ?? `https://s3.${config.objectStore.region}.amazonaws.com`);
  const exports = endpointExportLines({
    region: config.region,
    apiUrl,
    s3Url,
    credentialsFile: credentialsFilePath(config.dataDirectory),
  });
  if (values.json) {
    output.write(JSON.stringify({ config: masked(config), exports }, null, 2));
    return;
  }
  output.write(JSON.stringify(masked(config), null, 2));
  for (const line of exports) output.write(line);
}
