// Starts a real Strata server (real SQLite, real embedded S3, real sockets) on free ports in a fresh data
// directory, for contract tests driven by the unmodified AWS SDKs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCredentialsFile, type StrataCredentials } from "../../src/auth/credentials-file.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { StrataConfig } from "../../src/config/strata-config.js";
import { createLogger } from "../../src/logging/logger.js";
import { type RunningStrata, type StrataOverrides, startStrata } from "../../src/server/start-strata.js";

export interface TestStrata extends RunningStrata {
  credentials: StrataCredentials;
  dataDirectory: string;
  /** Structured log lines written so far. */
  logLines: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startTestStrata(
  overrides: Partial<StrataConfig> = {},
  seams: StrataOverrides = {},
): Promise<TestStrata> {
  const dataDirectory = mkdtempSync(join(tmpdir(), "strata-test-"));
  const config = { ...loadConfig({ dataDir: dataDirectory, port: "0", s3Port: "0" }, {}), ...overrides };
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", write: (line) => logLines.push(JSON.parse(line)) });
  const strata = await startStrata(config, logger, seams);
  return {
    ...strata,
    credentials: readCredentialsFile(strata.firstStart.credentialsFile),
    dataDirectory,
    logLines,
    stop: async () => {
      await strata.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
