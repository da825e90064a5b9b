// The effective configuration, parsed once (flags > environment > config file > defaults) and passed down.
// Nothing below the CLI reads process.env.
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import type { LogLevel } from "../logging/logger.js";

export interface ExternalS3Config {
  kind: "s3";
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export interface EmbeddedS3Config {
  kind: "embedded";
  host: string;
  /** Default: the API port + 1. */
  port: number;
  bucket: string;
}

export interface StrataConfig {
  host: string;
  port: number;
  dataDirectory: string;
  region: string;
  accountId: string;
  /** Off only by the explicit --no-auth switch, which prints a warning. */
  authentication: boolean;
  logLevel: LogLevel;
  maxRequestBodyBytes: number;
  objectStore: EmbeddedS3Config | ExternalS3Config;
  /**
   * Bedrock model ids served offline by a local model (e.g. "anthropic.claude-3-5-haiku-20241022-v1:0" →
   * "local.tiny"), so code written for Bedrock runs unchanged against Strata.
   */
  aliases: Record<string, string>;
  /** Real Amazon Bedrock for Bedrock models not served here; off unless credentials are configured. */
  passThrough?: {
    region: string;
    endpoint?: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  /** Parallel sequences per loaded model; more concurrent requests wait. */
  sequencesPerModel: number;
  /** List and serve the models shipped in the repository's models/ folder (strata.tiny-base-v1, …). */
  builtinModels: boolean;
  /** Model customization jobs (src/customization/). */
  customization: CustomizationConfig;
  /** Provisioned throughput and on-demand admission (src/provisioned-throughput/); unset fields take defaults. */
  provisionedThroughput?: ProvisionedThroughputSettings;
  /** The config file that was read, if any. */
  configFile?: string;
}

export interface ProvisionedThroughputSettings {
  /** Cores reservations may hold together (never more than all but one, the default). */
  reservableCores?: number;
  /** Model units per reserved core (default 4): each unit is one dedicated sequence on it. */
  unitsPerCore?: number;
  /** Requests waiting for a reservation's sequences, per model unit (default 2), before ThrottlingException. */
  queuePerUnit?: number;
  /** On-demand requests waiting for one model's sequences (default 32) before ThrottlingException. */
  onDemandQueueLength?: number;
  /** Per caller key on on-demand capacity (default: unlimited). */
  onDemandQuota?: { requestsPerMinute?: number; tokensPerMinute?: number };
  /** USD per model unit per hour by commitment term (defaults: src/provisioned-throughput/cost/reservation-prices.ts). */
  pricesPerUnitHourUsd?: { None?: number; OneMonth?: number; SixMonths?: number };
}

export interface CustomizationConfig {
  /** Jobs training at once; more wait in the queue (InProgress, phase Queued). */
  maxConcurrentJobs: number;
  /** Threads of each job's trainer. */
  trainerThreads: number;
  /** The dry run's local cost: USD per 1,000 trained tokens on this host (default 0: your own hardware). */
  localTrainingPricePer1kTokens: number;
  /** Records per training / validation file (Bedrock's are adjustable quotas; these are the common defaults). */
  maxTrainingRecords: number;
  maxValidationRecords: number;
  /** Bytes per validation file (Bedrock: 100 MB); training files: 1 GB, 10 GB for continued pre-training. */
  maxValidationBytes: number;
}

export const defaultPort = 8787;

export function defaultConfig(): StrataConfig {
  return {
    host: "127.0.0.1",
    port: defaultPort,
    builtinModels: true,
    dataDirectory: join(homedir(), ".strata"),
    region: "us-east-1",
    accountId: "000000000000",
    authentication: true,
    logLevel: "info",
    // InvokeModel bodies may be up to 25,000,000 bytes (bedrock-runtime model); leave room for the envelope.
    maxRequestBodyBytes: 26_000_000,
    objectStore: { kind: "embedded", host: "127.0.0.1", port: defaultPort + 1, bucket: "strata" },
    aliases: {},
    sequencesPerModel: 8,
    customization: {
      maxConcurrentJobs: 1,
      // Half the cores: training shares the host with inference and the server itself.
      trainerThreads: Math.max(1, Math.floor(availableParallelism() / 2)),
      localTrainingPricePer1kTokens: 0,
      maxTrainingRecords: 10_000,
      maxValidationRecords: 1_000,
      maxValidationBytes: 100_000_000,
    },
  };
}
