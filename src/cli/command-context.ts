// What every CLI command gets: its parsed flags, the effective configuration (parsed once) and, for client
// commands, an API client signed from the credentials file.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { credentialsFilePath, readCredentialsFile } from "../auth/credentials-file.js";
import { type ConfigFlags, loadConfig } from "../config/load-config.js";
import type { StrataConfig } from "../config/strata-config.js";
import { ApiClient } from "./api-client.js";
import { CliError } from "./cli-error.js";

export const configOptions = {
  "data-dir": { type: "string" },
  config: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  region: { type: "string" },
  "log-level": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export const clientOptions = {
  ...configOptions,
  endpoint: { type: "string" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

export interface Output {
  write(text: string): void;
  isTerminal: boolean;
}

export interface CommandEnvironment {
  environment: Record<string, string | undefined>;
  output: Output;
}

export function parseCommandArgs<Options extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: Options,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

export function configFromFlags(
  values: Record<string, string | boolean | undefined>,
  environment: Record<string, string | undefined>,
  extra: Partial<ConfigFlags> = {},
): StrataConfig {
  const flags: ConfigFlags = { ...extra };
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const assign = <Key extends keyof ConfigFlags>(key: Key, value: ConfigFlags[Key] | undefined) => {
    if (value !== undefined) flags[key] = value;
  };
  assign("dataDir", text("data-dir"));
  assign("config", text("config"));
  assign("host", text("host"));
  assign("port", text("port"));
  assign("region", text("region"));
  assign("logLevel", text("log-level"));
  try {
    return loadConfig(flags, environment);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

export function apiEndpoint(config: StrataConfig, explicit?: string): string {
  if (explicit) return explicit;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

export function apiClientFor(config: StrataConfig, endpoint?: string): ApiClient {
  let credentials: ReturnType<typeof readCredentialsFile>;
  try {
    credentials = readCredentialsFile(credentialsFilePath(config.dataDirectory));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return new ApiClient(apiEndpoint(config, endpoint), credentials, config.region);
}
