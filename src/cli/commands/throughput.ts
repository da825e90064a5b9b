// `strata throughput create|list|get|update|delete|cost`: provisioned throughput through the Bedrock API
// (Create/Get/List/Update/DeleteProvisionedModelThroughput) plus Strata's extensions: the capacity a
// reservation holds (its model unit in tokens per minute, measured), resizing, an administrator's forced delete
// of a committed reservation, and the cost ledger.
import type {
  GetCostSummaryResponse,
  GetProvisionedModelThroughputCapacityResponse,
} from "../../protocol/generated/strata-types.js";
import { type ApiClient, pathLabel } from "../api-client.js";
import { CliError } from "../cli-error.js";
import {
  apiClientFor,
  type CommandEnvironment,
  clientOptions,
  configFromFlags,
  parseCommandArgs,
} from "../command-context.js";
import { formatTable } from "../format-table.js";

interface ProvisionedModelSummary {
  provisionedModelName: string;
  provisionedModelArn: string;
  modelArn: string;
  desiredModelArn: string;
  modelUnits: number;
  desiredModelUnits: number;
  status: string;
  commitmentDuration?: string;
  commitmentExpirationTime?: string;
  creationTime: string;
  failureMessage?: string;
}

const usage = `usage: strata throughput <subcommand>
  create NAME --model MODEL [--units N (1)] [--commitment none|OneMonth|SixMonths] [--wait]
  list [--status Creating|InService|Updating|Failed] [--name-contains X]
  get NAME|ARN
  update NAME|ARN [--name NEW] [--model MODEL] [--units N]
  delete NAME|ARN [--force (administrators: before a commitment ends)]
  cost [--from ISO --to ISO --model ID]
All take --json and --endpoint.`;

async function create(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    model: { type: "string" },
    units: { type: "string" },
    commitment: { type: "string" },
    wait: { type: "boolean" },
  });
  const name = positionals[0];
  if (!name || !values.model) throw new CliError(usage, 2);
  const units = Number(values.units ?? "1");
  if (!Number.isInteger(units) || units < 1)
    throw new CliError(`--units must be a whole number ≥ 1, not ${values.units}`, 2);
  const commitment = values.commitment ?? "none";
  if (!["none", "OneMonth", "SixMonths"].includes(commitment))
    throw new CliError(`--commitment must be none, OneMonth or SixMonths, not ${commitment}`, 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const created = await api.call<{ provisionedModelArn: string }>({
    method: "POST",
    path: "/provisioned-model-throughput",
    body: {
      provisionedModelName: name,
      modelId: values.model,
      modelUnits: units,
      ...(commitment === "none" ? {} : { commitmentDuration: commitment }),
    },
  });
  let reservation = await getReservation(api, created.provisionedModelArn);
  while (values.wait && (reservation.status === "Creating" || reservation.status === "Updating")) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    reservation = await getReservation(api, created.provisionedModelArn);
  }
  if (values.json) {
    output.write(JSON.stringify(reservation, null, 2));
    return;
  }
  output.write(
    `${reservation.status === "Failed" ? "Failed" : "Created"} ${name}: ${created.provisionedModelArn} (${reservation.status}${reservation.failureMessage ? `: ${reservation.failureMessage}` : ""}).\n` +
      `Use it as modelId: aws bedrock-runtime converse --model-id ${created.provisionedModelArn} …`,
  );
}

async function list(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    status: { type: "string" },
    "name-contains": { type: "string" },
  });
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const reservations: ProvisionedModelSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.call<{ provisionedModelSummaries: ProvisionedModelSummary[]; nextToken?: string }>(
      {
        method: "GET",
        path: "/provisioned-model-throughputs",
        query: { nextToken, statusEquals: values.status, nameContains: values["name-contains"] },
      },
    );
    reservations.push(...page.provisionedModelSummaries);
    nextToken = page.nextToken;
  } while (nextToken);
  if (values.json) {
    output.write(JSON.stringify(reservations, null, 2));
    return;
  }
  output.write(
    formatTable(
      ["NAME", "STATUS", "UNITS", "COMMITMENT", "MODEL", "ARN"],
      reservations.map((reservation) => [
        reservation.provisionedModelName,
        reservation.status,
        reservation.modelUnits === reservation.desiredModelUnits
          ? String(reservation.modelUnits)
          : `${reservation.modelUnits} → ${reservation.desiredModelUnits}`,
        reservation.commitmentDuration
          ? `${reservation.commitmentDuration} until ${reservation.commitmentExpirationTime}`
          : "none",
        reservation.modelArn,
        reservation.provisionedModelArn,
      ]),
    ),
  );
}

async function get(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, clientOptions);
  const identifier = positionals[0];
  if (!identifier) throw new CliError("usage: strata throughput get NAME|ARN [--json]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const reservation = await getReservation(api, identifier);
  const capacity = await api.call<GetProvisionedModelThroughputCapacityResponse>({
    method: "GET",
    path: `/strata/provisioned-model-throughput/${pathLabel(identifier)}/capacity`,
  });
  if (values.json) {
    output.write(JSON.stringify({ ...reservation, strata: capacity }, null, 2));
    return;
  }
  const rows: [string, string][] = [
    ["name", reservation.provisionedModelName],
    ["arn", reservation.provisionedModelArn],
    ["status", reservation.status + (reservation.failureMessage ? ` (${reservation.failureMessage})` : "")],
    [
      "model",
      reservation.modelArn +
        (reservation.desiredModelArn !== reservation.modelArn ? ` → ${reservation.desiredModelArn}` : ""),
    ],
    [
      "model units",
      String(reservation.modelUnits) +
        (reservation.desiredModelUnits !== reservation.modelUnits
          ? ` → ${reservation.desiredModelUnits}`
          : ""),
    ],
    [
      "one model unit",
      capacity.tokensPerMinutePerModelUnit === undefined
        ? "(not measured yet)"
        : `${capacity.tokensPerMinutePerModelUnit} output tokens/min (measured on this host)`,
    ],
    [
      "reserved",
      `${capacity.reservedTokensPerMinute ?? "-"} tokens/min: ${capacity.cores} core(s), ${capacity.sequences} sequence(s), queue ${capacity.queueLength}`,
    ],
    ["load", capacity.load ? JSON.stringify(capacity.load) : "-"],
    [
      "commitment",
      reservation.commitmentDuration
        ? `${reservation.commitmentDuration} until ${reservation.commitmentExpirationTime}`
        : "none (hourly)",
    ],
    ["created", reservation.creationTime],
  ];
  output.write(rows.map(([key, value]) => `${key.padEnd(16)} ${value}`).join("\n"));
}

async function update(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...clientOptions,
    name: { type: "string" },
    model: { type: "string" },
    units: { type: "string" },
  });
  const identifier = positionals[0];
  if (!identifier || (!values.name && !values.model && !values.units)) throw new CliError(usage, 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  if (values.name || values.model) {
    await api.call({
      method: "PATCH",
      path: `/provisioned-model-throughput/${pathLabel(identifier)}`,
      body: {
        ...(values.name ? { desiredProvisionedModelName: values.name } : {}),
        ...(values.model ? { desiredModelId: values.model } : {}),
      },
    });
  }
  if (values.units) {
    const units = Number(values.units);
    if (!Number.isInteger(units) || units < 1)
      throw new CliError(`--units must be a whole number ≥ 1, not ${values.units}`, 2);
    await api.call({
      method: "PATCH",
      path: `/strata/provisioned-model-throughput/${pathLabel(values.name ?? identifier)}/units`,
      body: { desiredModelUnits: units },
    });
  }
  output.write(values.json ? JSON.stringify({ updated: identifier }) : `Updating ${identifier}.`);
}

async function remove(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { ...clientOptions, force: { type: "boolean" } });
  const identifier = positionals[0];
  if (!identifier) throw new CliError("usage: strata throughput delete NAME|ARN [--force]", 2);
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  await api.call({
    method: "DELETE",
    path: values.force
      ? `/strata/provisioned-model-throughput/${pathLabel(identifier)}`
      : `/provisioned-model-throughput/${pathLabel(identifier)}`,
  });
  output.write(values.json ? JSON.stringify({ deleted: identifier }) : `Deleted ${identifier}.`);
}

async function cost(argv: string[], { environment, output }: CommandEnvironment): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    ...clientOptions,
    from: { type: "string" },
    to: { type: "string" },
    model: { type: "string" },
  });
  const api = apiClientFor(configFromFlags(values, environment), values.endpoint);
  const summary = await api.call<GetCostSummaryResponse>({
    method: "GET",
    path: "/strata/cost/summary",
    query: { from: values.from, to: values.to, modelId: values.model },
  });
  if (values.json) {
    output.write(JSON.stringify(summary, null, 2));
    return;
  }
  const rows = summary.rows as {
    day: string;
    modelId: string;
    reservationUnitHours: number;
    reservationCostUsd: number;
    onDemandInvocations: number;
    onDemandCostUsd: number;
    totalCostUsd: number;
  }[];
  output.write(
    formatTable(
      ["DAY", "MODEL", "MU-HOURS", "RESERVED $", "ON-DEMAND CALLS", "ON-DEMAND $", "TOTAL $"],
      rows.map((row) => [
        row.day,
        row.modelId,
        row.reservationUnitHours.toFixed(2),
        row.reservationCostUsd.toFixed(4),
        String(row.onDemandInvocations),
        row.onDemandCostUsd.toFixed(6),
        row.totalCostUsd.toFixed(4),
      ]),
    ),
  );
}

function getReservation(api: ApiClient, identifier: string): Promise<ProvisionedModelSummary> {
  return api.call<ProvisionedModelSummary>({
    method: "GET",
    path: `/provisioned-model-throughput/${pathLabel(identifier)}`,
  });
}

export async function throughputCommand(argv: string[], environment: CommandEnvironment): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "create") return create(rest, environment);
  if (subcommand === "list") return list(rest, environment);
  if (subcommand === "get") return get(rest, environment);
  if (subcommand === "update") return update(rest, environment);
  if (subcommand === "delete") return remove(rest, environment);
  if (subcommand === "cost") return cost(rest, environment);
  throw new CliError(usage, 2);
}
