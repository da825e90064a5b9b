// <data-dir>/credentials: the admin key pair and API key created at first start, in the AWS credentials-file
// format (profile "strata"), mode 0600. The CLI signs its own requests from it; `AWS_PROFILE=strata
// AWS_SHARED_CREDENTIALS_FILE=<path>` makes any AWS tool use it.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const credentialsProfile = "strata";

export interface StrataCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The Bedrock API key (Bearer): AWS_BEARER_TOKEN_BEDROCK for the SDKs, apiKey for the OpenAI client. */
  apiKey?: string;
}

export function credentialsFilePath(dataDirectory: string): string {
  return join(dataDirectory, "credentials");
}

export function writeCredentialsFile(path: string, credentials: StrataCredentials): void {
  const lines = [
    "# Created by Strata at first start. Keep it secret: it holds the admin key pair and the API key.",
    `[${credentialsProfile}]`,
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
  ];
  if (credentials.apiKey) lines.push(`aws_bearer_token_bedrock = ${credentials.apiKey}`);
  writeFileSync(path, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export class CredentialsFileError extends Error {}

/** Reads profile `strata` of an AWS credentials file; errors name the file and what is missing. */
export function readCredentialsFile(path: string): StrataCredentials {
  if (!existsSync(path)) {
    throw new CredentialsFileError(
      `${path} does not exist — start the server once with \`strata serve\` to create it`,
    );
  }
  let profile: string | undefined;
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(trimmed);
    if (section) {
      profile = section[1]?.trim();
      continue;
    }
    const pair = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(trimmed);
    if (pair?.[1] && profile === credentialsProfile) values[pair[1]] = pair[2] ?? "";
  }
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) {
    throw new CredentialsFileError(
      `${path}: profile [${credentialsProfile}] needs aws_access_key_id and aws_secret_access_key`,
    );
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(values.aws_bearer_token_bedrock ? { apiKey: values.aws_bearer_token_bedrock } : {}),
  };
}
