import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load-config.js";

function dataDirectoryWithConfig(content: object): string {
  const directory = mkdtempSync(join(tmpdir(), "strata-config-"));
  writeFileSync(join(directory, "config.json"), JSON.stringify(content));
  return directory;
}

describe("loadConfig", () => {
  it("has secure, documented defaults", () => {
    const config = loadConfig({ dataDir: mkdtempSync(join(tmpdir(), "strata-config-")) }, {});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8787,
      region: "us-east-1",
      accountId: "000000000000",
      authentication: true,
      objectStore: { kind: "embedded", host: "127.0.0.1", port: 8788, bucket: "strata" },
    });
  });

  it("takes flags over environment over config file over defaults", () => {
    const dataDir = dataDirectoryWithConfig({ port: 9000, region: "eu-west-1", accountId: "111111111111" });
    const fromFile = loadConfig({ dataDir }, {});
    expect(fromFile).toMatchObject({ port: 9000, region: "eu-west-1", accountId: "111111111111" });
    const fromEnvironment = loadConfig({ dataDir }, { STRATA_PORT: "9100", STRATA_REGION: "us-west-2" });
    expect(fromEnvironment).toMatchObject({ port: 9100, region: "us-west-2", accountId: "111111111111" });
    const fromFlags = loadConfig({ dataDir, port: "9200" }, { STRATA_PORT: "9100" });
    expect(fromFlags.port).toBe(9200);
    expect(fromFlags.objectStore).toMatchObject({ kind: "embedded", port: 9201 });
  });

  it("names the source and the field of a bad value", () => {
    expect(() => loadConfig({ port: "http" }, {})).toThrow(
      new ConfigError("flag port: http is not an integer in 0–65535"),
    );
    const dataDir = dataDirectoryWithConfig({ accountId: "12" });
    expect(() => loadConfig({ dataDir }, {})).toThrow(/config file accountId: 12 must match/);
  });

  it("switches authentication off only on the explicit switch", () => {
    expect(loadConfig({ noAuth: true }, {}).authentication).toBe(false);
    expect(loadConfig({}, { STRATA_NO_AUTH: "1" }).authentication).toBe(true);
  });

  it("configures an external S3 endpoint from the environment", () => {
    const config = loadConfig(
      {},
      { STRATA_S3_ENDPOINT: "http://127.0.0.1:9000", STRATA_S3_BUCKET: "models" },
    );
    expect(config.objectStore).toMatchObject({
      kind: "s3",
      endpoint: "http://127.0.0.1:9000",
      bucket: "models",
      forcePathStyle: true,
    });
  });
});

describe("customization settings", () => {
  it("default to one job at a time, a free local price and Bedrock's common record limits", () => {
    const config = loadConfig({ dataDir: mkdtempSync(join(tmpdir(), "strata-config-")) }, {});
    expect(config.customization).toMatchObject({
      maxConcurrentJobs: 1,
      localTrainingPricePer1kTokens: 0,
      maxTrainingRecords: 10_000,
      maxValidationRecords: 1_000,
      maxValidationBytes: 100_000_000,
    });
    expect(config.customization.trainerThreads).toBeGreaterThanOrEqual(1);
  });

  it("come from the environment or the config file, checked", () => {
    const dataDir = dataDirectoryWithConfig({
      maxConcurrentCustomizationJobs: 3,
      localTrainingPricePer1kTokens: 0.0002,
    });
    expect(loadConfig({ dataDir }, { STRATA_TRAINER_THREADS: "4" }).customization).toMatchObject({
      maxConcurrentJobs: 3,
      trainerThreads: 4,
      localTrainingPricePer1kTokens: 0.0002,
    });
    expect(() => loadConfig({ dataDir }, { STRATA_LOCAL_TRAINING_PRICE_PER_1K_TOKENS: "-1" })).toThrow(
      new ConfigError("environment localTrainingPricePer1kTokens: -1 is not a number in 0–1000"),
    );
    expect(() => loadConfig({ dataDir }, { STRATA_MAX_CONCURRENT_CUSTOMIZATION_JOBS: "0" })).toThrow(
      new ConfigError("environment maxConcurrentCustomizationJobs: 0 is not an integer in 1–64"),
    );
  });
});
