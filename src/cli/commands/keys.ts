// `strata keys create|list|revoke`: access key pairs (SigV4) and Bedrock API keys (Bearer), managed through
// the server's API with the admin key from the credentials file.
import type { CreateKeyResponse, ListKeysResponse } from "../../protocol/generated/strata-types.js";
import { pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";

async function createKeyCommand(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    type: { type: "string", default: "access-key" },
    description: { type: "string" },
  });
  const keyType = { "access-key": "ACCESS_KEY", "api-key": "API_KEY" }[values.type ?? "access-key"];
  if (!keyType) throw new CliError(`--type must be access-key or api-key, not ${values.type}`, 2);
  const config = configFromFlags(values, environment);
  const created = await apiClientFor(config, values.endpoint).call<CreateKeyResponse>({
    method: "POST",
    path: "/strata/keys",
    body: { keyType, ...(values.description ? { description: values.description } : {}) },
  });
  if (values.json) {
    output.write(JSON.stringify(created, null, 2));
    return;
  }
  if (created.keyType === "API_KEY") {
    output.write(
      `API key ${created.keyId} created. Use it as AWS_BEARER_TOKEN_BEDROCK or the OpenAI apiKey:`,
    );
    output.write(created.apiKey ?? "");
  } else {
    output.write(`Access key created:`);
    output.write(
      `export AWS_ACCESS_KEY_ID=${created.keyId} AWS_SECRET_ACCESS_KEY=${created.secretAccessKey ?? ""}`,
    );
  }
  output.write("The secret is shown only now.");
}

async function listKeysCommand(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, clientOptions);
  const config = configFromFlags(values, environment);
  const { keySummaries } = await apiClientFor(config, values.endpoint).call<ListKeysResponse>({
    method: "GET",
    path: "/strata/keys",
  });
  if (values.json) {
    output.write(JSON.stringify(keySummaries, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["KEY ID", "TYPE", "STATUS", "ADMIN", "CREATED", "LAST USED", "DESCRIPTION"],
      keySummaries.map((key) => [
        key.keyId,
        key.keyType === "API_KEY" ? "api-key" : "access-key",
        key.status,
        key.isAdmin ? "yes" : "no",
        String(key.creationTime),
        key.lastUsedTime ? String(key.lastUsedTime) : "-",
        key.description ?? "",
      ]),
    ),
  );
}

async function revokeKeyCommand(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const keyId = positionals[0];
  if (!keyId) throw new CliError("usage: strata keys revoke <key-id>", 2);
  const config = configFromFlags(values, environment);
  await apiClientFor(config, values.endpoint).call({
    method: "POST",
    path: `/strata/keys/${pathLabel(keyId)}/revoke`,
  });
  output.write(values.json ? JSON.stringify({ keyId, status: "Revoked" }) : `Key ${keyId} revoked.`);
}

export async function keysCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "create") return createKeyCommand(rest, environment);
  if (subcommand === "list") return listKeysCommand(rest, environment);
  if (subcommand === "revoke") return revokeKeyCommand(rest, environment);
  throw new CliError("usage: strata keys create|list|revoke …", 2);
}
