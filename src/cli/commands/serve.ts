// `strata serve`: starts the API (HTTP/1.1 + h2c on one port) and the embedded S3 endpoint, then prints the
// lines that point AWS SDKs at them. Secrets are printed only to a terminal, and only at first start.
import { createLogger } from "../../logging/logger.js";
import { startStrata } from "../../server/start-strata.js";
import {
  type CommandEnvironment,
  configFromFlags,
  configOptions,
  parseCommandArgs,
} from "../command-context.js";
import { endpointExportLines } from "../endpoint-exports.js";

const options = {
  ...configOptions,
  "s3-port": { type: "string" },
  "account-id": { type: "string" },
  "no-auth": { type: "boolean" },
} as const;

export async function serveCommand(
  argv: string[],
  { environment, output }: CommandEnvironment,
): Promise<void> {
  const { values } = parseCommandArgs(argv, options);
  const config = configFromFlags(values, environment, {
    ...(values["s3-port"] ? { s3Port: values["s3-port"] } : {}),
    ...(values["account-id"] ? { accountId: values["account-id"] } : {}),
    ...(values["no-auth"] ? { noAuth: true } : {}),
  });
  const logger = createLogger({ level: config.logLevel });
  if (!config.authentication) {
    process.stderr.write(
      "WARNING: --no-auth: every request is accepted without a signature or key, as the admin. Use it only for experiments.\n",
    );
  }
  const strata = await startStrata(config, logger);
  const { firstStart } = strata;
  output.write(
    `Strata listening on ${strata.apiUrl} (Bedrock, Bedrock runtime, Strata /strata/…); S3 on ${strata.s3Url}`,
  );
  for (const line of endpointExportLines({
    region: config.region,
    apiUrl: strata.apiUrl,
    s3Url: strata.s3Url,
    credentialsFile: firstStart.credentialsFile,
  })) {
    output.write(line);
  }
  if (firstStart.created && output.isTerminal) {
    output.write(
      `export AWS_ACCESS_KEY_ID=${firstStart.created.accessKeyId} AWS_SECRET_ACCESS_KEY=${firstStart.created.secretAccessKey}`,
    );
    if (firstStart.created.apiKey)
      output.write(`# Bedrock API key (Bearer, also the OpenAI apiKey): ${firstStart.created.apiKey}`);
    output.write(`# shown once; also saved in ${firstStart.credentialsFile} (mode 0600, profile strata)`);
  } else {
    output.write(`credentials: ${firstStart.credentialsFile} (profile strata)`);
  }
  if (firstStart.credentialsFileMissing) {
    process.stderr.write(
      `WARNING: ${firstStart.credentialsFile} is missing but keys exist; create a key with an admin key, or start with a new --data-dir.\n`,
    );
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void strata.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
