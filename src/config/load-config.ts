// Builds the effective StrataConfig from its four sources. Precedence: flags > environment > config file >
// defaults. Every value is checked here, once, with an error that names the source and the field.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { LogLevel } from "../logging/logger.js";
import { defaultConfig, type ProvisionedThroughputSettings, type StrataConfig } from "./strata-config.js";

export interface ConfigFlags {
  host?: string;
  port?: string;
  s3Port?: string;
  dataDir?: string;
  region?: string;
  accountId?: string;
  noAuth?: boolean;
  logLevel?: string;
  config?: string;
}

export class ConfigError extends Error {}

type Source = "flag" | "environment" | "config file";

interface Layer {
  source: Source;
  values: Record<string, unknown>;
}

const environmentNames: Record<string, string> = {
  host: "STRATA_HOST",
  port: "STRATA_PORT",
  s3Port: "STRATA_S3_PORT",
  dataDir: "STRATA_DATA_DIR",
  region: "STRATA_REGION",
  accountId: "STRATA_ACCOUNT_ID",
  logLevel: "STRATA_LOG_LEVEL",
  s3Endpoint: "STRATA_S3_ENDPOINT",
  s3Bucket: "STRATA_S3_BUCKET",
  s3Region: "STRATA_S3_REGION",
  s3AccessKeyId: "STRATA_S3_ACCESS_KEY_ID",
  s3SecretAccessKey: "STRATA_S3_SECRET_ACCESS_KEY",
  s3ForcePathStyle: "STRATA_S3_FORCE_PATH_STYLE",
  aliases: "STRATA_MODEL_ALIASES",
  bedrockAccessKeyId: "STRATA_BEDROCK_ACCESS_KEY_ID",
  bedrockSecretAccessKey: "STRATA_BEDROCK_SECRET_ACCESS_KEY",
  bedrockSessionToken: "STRATA_BEDROCK_SESSION_TOKEN",
  bedrockRegion: "STRATA_BEDROCK_REGION",
  bedrockEndpoint: "STRATA_BEDROCK_ENDPOINT",
  sequencesPerModel: "STRATA_SEQUENCES_PER_MODEL",
  builtinModels: "STRATA_BUILTIN_MODELS",
  maxConcurrentCustomizationJobs: "STRATA_MAX_CONCURRENT_CUSTOMIZATION_JOBS",
  trainerThreads: "STRATA_TRAINER_THREADS",
  localTrainingPricePer1kTokens: "STRATA_LOCAL_TRAINING_PRICE_PER_1K_TOKENS",
  maxTrainingRecords: "STRATA_MAX_TRAINING_RECORDS",
  maxValidationRecords: "STRATA_MAX_VALIDATION_RECORDS",
  reservableCores: "STRATA_RESERVABLE_CORES",
  modelUnitsPerCore: "STRATA_MODEL_UNITS_PER_CORE",
  reservationQueuePerUnit: "STRATA_RESERVATION_QUEUE_PER_UNIT",
  onDemandQueueLength: "STRATA_ON_DEMAND_QUEUE_LENGTH",
  onDemandRequestsPerMinute: "STRATA_ON_DEMAND_REQUESTS_PER_MINUTE",
  onDemandTokensPerMinute: "STRATA_ON_DEMAND_TOKENS_PER_MINUTE",
  provisionedPriceNoCommitment: "STRATA_PROVISIONED_PRICE_NO_COMMITMENT",
  provisionedPriceOneMonth: "STRATA_PROVISIONED_PRICE_ONE_MONTH",
  provisionedPriceSixMonths: "STRATA_PROVISIONED_PRICE_SIX_MONTHS",
};

function onOff(layers: readonly Layer[], key: string): boolean | undefined {
  const picked = pick(layers, key);
  if (!picked) return undefined;
  const value = String(picked.value).toLowerCase();
  if (["true", "on", "1"].includes(value)) return true;
  if (["false", "off", "0"].includes(value)) return false;
  throw new ConfigError(
    `${picked.source} ${key}: ${String(picked.value)} is not one of true, false, on, off, 1, 0`,
  );
}

function pick(layers: readonly Layer[], key: string): { value: unknown; source: Source } | undefined {
  for (const layer of layers) {
    const value = layer.values[key];
    if (value !== undefined && value !== "") return { value, source: layer.source };
  }
  return undefined;
}

function integer(layers: readonly Layer[], key: string, min: number, max: number): number | undefined {
  const picked = pick(layers, key);
  if (!picked) return undefined;
  const number = typeof picked.value === "number" ? picked.value : Number(String(picked.value));
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(
      `${picked.source} ${key}: ${String(picked.value)} is not an integer in ${min}–${max}`,
    );
  }
  return number;
}

function decimal(layers: readonly Layer[], key: string, min: number, max: number): number | undefined {
  const picked = pick(layers, key);
  if (!picked) return undefined;
  const number = typeof picked.value === "number" ? picked.value : Number(String(picked.value));
  if (!Number.isFinite(number) || number < min || number > max)
    throw new ConfigError(
      `${picked.source} ${key}: ${String(picked.value)} is not a number in ${min}–${max}`,
    );
  return number;
}

function text(layers: readonly Layer[], key: string, pattern?: RegExp): string | undefined {
  const picked = pick(layers, key);
  if (!picked) return undefined;
  const value = String(picked.value);
  if (pattern && !pattern.test(value))
    throw new ConfigError(`${picked.source} ${key}: ${value} must match ${pattern}`);
  return value;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Aliases from the config file ({"bedrock-id": "local.x"}) or the environment ("bedrock-id=local.x,…"). */
function aliasesOf(layers: readonly Layer[]): Record<string, string> {
  const picked = pick(layers, "aliases");
  if (!picked) return {};
  const entries =
    typeof picked.value === "string"
      ? picked.value.split(",").map((pair) => pair.split("=").map((part) => part.trim()))
      : typeof picked.value === "object" && picked.value !== null
        ? Object.entries(picked.value as Record<string, unknown>).map(([key, value]) => [key, value])
        : undefined;
  if (!entries)
    throw new ConfigError(`${picked.source} aliases: must map Bedrock model ids to local model ids`);
  const aliases: Record<string, string> = {};
  for (const [bedrockId, localId] of entries) {
    if (
      typeof bedrockId !== "string" ||
      typeof localId !== "string" ||
      !/^(local|strata)\.[a-z0-9-]+$/.test(localId)
    ) {
      throw new ConfigError(
        `${picked.source} aliases: ${String(bedrockId)}=${String(localId)} must name a local model (local.<name> or strata.<name>)`,
      );
    }
    aliases[bedrockId] = localId;
  }
  return aliases;
}

export function loadConfig(
  flags: ConfigFlags,
  environment: Record<string, string | undefined>,
  baseDirectory = process.cwd(),
): StrataConfig {
  const defaults = defaultConfig();
  const flagValues: Record<string, unknown> = { ...flags };
  const environmentValues: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(environmentNames)) environmentValues[key] = environment[name];

  // The data directory decides where the default config file lives, so it is resolved first.
  const dataDirectoryEarly = (flags.dataDir ??
    environment.STRATA_DATA_DIR ??
    defaults.dataDirectory) as string;
  const explicitFile = flags.config ?? environment.STRATA_CONFIG;
  const configFile = explicitFile
    ? resolve(baseDirectory, explicitFile)
    : join(resolve(baseDirectory, dataDirectoryEarly), "config.json");
  if (explicitFile && !existsSync(configFile))
    throw new ConfigError(`config file ${configFile} does not exist`);
  const fileValues = existsSync(configFile) ? readConfigFile(configFile) : {};

  const layers: Layer[] = [
    { source: "flag", values: flagValues },
    { source: "environment", values: environmentValues },
    { source: "config file", values: fileValues },
  ];

  const port = integer(layers, "port", 0, 65535) ?? defaults.port;
  const dataDir = text(layers, "dataDir") ?? defaults.dataDirectory;
  const logLevel = (text(layers, "logLevel", /^(debug|info|warn|error)$/) ?? defaults.logLevel) as LogLevel;
  const host = text(layers, "host") ?? defaults.host;
  const s3Endpoint = text(layers, "s3Endpoint");
  const authentication = !(flags.noAuth === true || fileValues.noAuth === true);

  const config: StrataConfig = {
    host,
    port,
    dataDirectory: isAbsolute(dataDir) ? dataDir : resolve(baseDirectory, dataDir),
    region: text(layers, "region", /^[a-z]{2}(-[a-z]+)+-\d$/) ?? defaults.region,
    accountId: text(layers, "accountId", /^\d{12}$/) ?? defaults.accountId,
    authentication,
    logLevel,
    maxRequestBodyBytes:
      integer(layers, "maxRequestBodyBytes", 1024, 1 << 30) ?? defaults.maxRequestBodyBytes,
    aliases: aliasesOf(layers),
    sequencesPerModel: integer(layers, "sequencesPerModel", 1, 256) ?? defaults.sequencesPerModel,
    customization: {
      maxConcurrentJobs:
        integer(layers, "maxConcurrentCustomizationJobs", 1, 64) ?? defaults.customization.maxConcurrentJobs,
      trainerThreads: integer(layers, "trainerThreads", 1, 1024) ?? defaults.customization.trainerThreads,
      localTrainingPricePer1kTokens:
        decimal(layers, "localTrainingPricePer1kTokens", 0, 1000) ??
        defaults.customization.localTrainingPricePer1kTokens,
      maxTrainingRecords:
        integer(layers, "maxTrainingRecords", 1, 100_000_000) ?? defaults.customization.maxTrainingRecords,
      maxValidationRecords:
        integer(layers, "maxValidationRecords", 1, 100_000_000) ??
        defaults.customization.maxValidationRecords,
      maxValidationBytes:
        integer(layers, "maxValidationBytes", 1, Number.MAX_SAFE_INTEGER) ??
        defaults.customization.maxValidationBytes,
    },
    builtinModels: onOff(layers, "builtinModels") ?? defaults.builtinModels,
    provisionedThroughput: provisionedThroughputSettings(layers),
    objectStore: s3Endpoint
      ? {
          kind: "s3",
          endpoint: s3Endpoint,
          region: text(layers, "s3Region") ?? "us-east-1",
          bucket: text(layers, "s3Bucket") ?? "strata",
          accessKeyId: text(layers, "s3AccessKeyId"),
          secretAccessKey: text(layers, "s3SecretAccessKey"),
          forcePathStyle: String(pick(layers, "s3ForcePathStyle")?.value ?? "true") !== "false",
        }
      : {
          kind: "embedded",
          host,
          // Port 0 (tests) means "any free port" for both endpoints.
          port: integer(layers, "s3Port", 0, 65535) ?? (port === 0 ? 0 : port + 1),
          bucket: text(layers, "s3Bucket") ?? "strata",
        },
  };
  const passThroughFile = (fileValues.passThrough ?? {}) as Record<string, unknown>;
  const passThroughLayers: Layer[] = [
    layers[1] as Layer,
    {
      source: "config file",
      values: {
        bedrockAccessKeyId: passThroughFile.accessKeyId,
        bedrockSecretAccessKey: passThroughFile.secretAccessKey,
        bedrockSessionToken: passThroughFile.sessionToken,
        bedrockRegion: passThroughFile.region,
        bedrockEndpoint: passThroughFile.endpoint,
      },
    },
  ];
  const accessKeyId = text(passThroughLayers, "bedrockAccessKeyId");
  const secretAccessKey = text(passThroughLayers, "bedrockSecretAccessKey");
  if (accessKeyId && secretAccessKey) {
    const sessionToken = text(passThroughLayers, "bedrockSessionToken");
    const endpoint = text(passThroughLayers, "bedrockEndpoint");
    config.passThrough = {
      region: text(passThroughLayers, "bedrockRegion") ?? config.region,
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      ...(endpoint ? { endpoint } : {}),
    };
  } else if (accessKeyId || secretAccessKey) {
    throw new ConfigError(
      "pass-through needs both an access key id and a secret access key (STRATA_BEDROCK_ACCESS_KEY_ID, STRATA_BEDROCK_SECRET_ACCESS_KEY)",
    );
  }
  if (existsSync(configFile)) config.configFile = configFile;
  return config;
}

/** Provisioned throughput's settings; what is not set takes provisionedThroughputConfig()'s defaults. */
function provisionedThroughputSettings(layers: readonly Layer[]): ProvisionedThroughputSettings {
  const settings: ProvisionedThroughputSettings = {};
  const reservableCores = integer(layers, "reservableCores", 0, 4096);
  if (reservableCores !== undefined) settings.reservableCores = reservableCores;
  const unitsPerCore = integer(layers, "modelUnitsPerCore", 1, 256);
  if (unitsPerCore !== undefined) settings.unitsPerCore = unitsPerCore;
  const queuePerUnit = integer(layers, "reservationQueuePerUnit", 0, 1024);
  if (queuePerUnit !== undefined) settings.queuePerUnit = queuePerUnit;
  const onDemandQueueLength = integer(layers, "onDemandQueueLength", 0, 100_000);
  if (onDemandQueueLength !== undefined) settings.onDemandQueueLength = onDemandQueueLength;
  const requestsPerMinute = integer(layers, "onDemandRequestsPerMinute", 1, 10_000_000);
  const tokensPerMinute = integer(layers, "onDemandTokensPerMinute", 1, 1_000_000_000);
  settings.onDemandQuota = {
    ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
    ...(tokensPerMinute !== undefined ? { tokensPerMinute } : {}),
  };
  const prices = {
    ...optional("None", decimal(layers, "provisionedPriceNoCommitment", 0, 1_000_000)),
    ...optional("OneMonth", decimal(layers, "provisionedPriceOneMonth", 0, 1_000_000)),
    ...optional("SixMonths", decimal(layers, "provisionedPriceSixMonths", 0, 1_000_000)),
  };
  if (Object.keys(prices).length > 0) settings.pricesPerUnitHourUsd = prices;
  return settings;
}

function optional<Key extends string>(key: Key, value: number | undefined): Partial<Record<Key, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<Key, number>);
}
