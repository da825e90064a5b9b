// A reservation outlives a server restart: the next start makes its capacity ready again (InService, invocable
// under the same ARN), and its billing period runs on.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, expect, it } from "vitest";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { loadConfig } from "../../src/config/load-config.js";
import { silentLogger } from "../../src/logging/logger.js";
import { type RunningStrata, startStrata } from "../../src/server/start-strata.js";
import { registerTestModel } from "../support/register-test-model.js";
import type { TestStrata } from "../support/start-test-strata.js";

const dataDirectory = mkdtempSync(join(tmpdir(), "strata-pt-restart-"));
const running: RunningStrata[] = [];

afterAll(async () => {
  for (const strata of running) await strata.close().catch(() => undefined);
  rmSync(dataDirectory, { recursive: true, force: true });
});

async function start() {
  const config = {
    ...loadConfig({ dataDir: dataDirectory, port: "0", s3Port: "0" }, {}),
    builtinModels: false,
    provisionedThroughput: { reservableCores: 1 },
  };
  const strata = await startStrata(config, silentLogger);
  running.push(strata);
  const credentials = readCredentialsFile(strata.firstStart.credentialsFile);
  const options = { endpoint: strata.apiUrl, region: "us-east-1", credentials, maxAttempts: 1 };
  return {
    strata,
    credentials,
    bedrock: new BedrockClient(options),
    runtime: new BedrockRuntimeClient(options),
  };
}

async function waitInService(bedrock: BedrockClient, arn: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const got = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    if (got.status === "InService") return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${arn} never reached InService`);
}

it("makes a reservation's capacity ready again at the next start", async () => {
  const first = await start();
  await registerTestModel(
    {
      ...first.strata,
      credentials: first.credentials,
      dataDirectory,
      logLines: [],
      stop: async () => {},
    } as TestStrata,
    "local.restart-base",
  );
  const created = await first.bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      provisionedModelName: "survives",
      modelId: "local.restart-base",
      modelUnits: 1,
    }),
  );
  const arn = created.provisionedModelArn ?? "";
  const before = await waitInService(first.bedrock, arn);
  first.bedrock.destroy();
  first.runtime.destroy();
  await first.strata.close();

  const second = await start();
  const after = await waitInService(second.bedrock, arn);
  expect(after.creationTime).toEqual(before.creationTime);
  const response = await second.runtime.send(
    new ConverseCommand({
      modelId: arn,
      messages: [{ role: "user", content: [{ text: "Hello" }] }],
      inferenceConfig: { maxTokens: 4 },
    }),
  );
  expect(response.usage?.outputTokens).toBeGreaterThan(0);
  second.bedrock.destroy();
  second.runtime.destroy();
}, 60_000);
