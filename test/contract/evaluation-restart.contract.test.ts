// An evaluation job running when the server stops is resumed at the next start from its per-example
// checkpoint (the examples it had answered are not answered again) and completes with every example.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockClient, CreateEvaluationJobCommand } from "@aws-sdk/client-bedrock";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, expect, it } from "vitest";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/logging/logger.js";
import type { GetEvaluationJobResultsResponse } from "../../src/protocol/generated/strata-types.js";
import { type RunningStrata, startStrata } from "../../src/server/start-strata.js";
import { putText } from "../support/customization-test-data.js";
import {
  constitutionQuestions,
  evaluationJsonl,
  evaluationRoleArn,
  waitForEvaluationJob,
} from "../support/evaluation-test-data.js";

const dataDirectory = mkdtempSync(join(tmpdir(), "strata-evaluation-restart-"));
const config = loadConfig({ dataDir: dataDirectory, port: "0", s3Port: "0" }, {});
const running: RunningStrata[] = [];

async function start(logLines: Record<string, unknown>[] = []) {
  const strata = await startStrata(
    config,
    createLogger({ level: "info", write: (line) => logLines.push(JSON.parse(line)) }),
  );
  running.push(strata);
  const credentials = readCredentialsFile(strata.firstStart.credentialsFile);
  return {
    strata,
    bedrock: new BedrockClient({ endpoint: strata.apiUrl, region: "us-east-1", credentials, maxAttempts: 1 }),
    s3: new S3Client({ endpoint: strata.s3Url, region: "us-east-1", forcePathStyle: true, credentials }),
    api: new ApiClient(strata.apiUrl, credentials, "us-east-1"),
  };
}

afterAll(async () => {
  for (const strata of running) await strata.close().catch(() => undefined);
  rmSync(dataDirectory, { recursive: true, force: true });
});

it("resumes an interrupted evaluation from its checkpoint and completes it", async () => {
  const first = await start();
  const records = Array.from(
    { length: 40 },
    (_, i) => constitutionQuestions[i % constitutionQuestions.length] as object,
  );
  const datasetUri = await putText(first.s3, "restart/questions.jsonl", evaluationJsonl(records));
  const { jobArn = "" } = await first.bedrock.send(
    new CreateEvaluationJobCommand({
      jobName: "interrupted",
      roleArn: evaluationRoleArn,
      evaluationConfig: {
        automated: {
          datasetMetricConfigs: [
            {
              taskType: "QuestionAndAnswer",
              dataset: { name: "questions", datasetLocation: { s3Uri: datasetUri } },
              metricNames: ["Builtin.Accuracy"],
            },
          ],
        },
      },
      inferenceConfig: {
        models: [
          {
            bedrockModel: {
              modelIdentifier: "strata.tiny-chat-v1",
              inferenceParams: JSON.stringify({ inferenceConfig: { maxTokens: 24 } }),
            },
          },
        ],
      },
      outputDataConfig: { s3Uri: "s3://strata/restart-output/" },
    }),
  );
  const progress = async (api: ApiClient) =>
    (
      await api.call<GetEvaluationJobResultsResponse>({
        method: "GET",
        path: `/strata/evaluation-jobs/${pathLabel(jobArn)}/results`,
      })
    ).progress;
  for (;;) {
    if ((await progress(first.api)).examplesDone >= 3) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  first.bedrock.destroy();
  first.s3.destroy();
  await first.strata.close();
  const jobId = jobArn.split("/").at(-1) ?? "";
  expect(existsSync(join(dataDirectory, "evaluation", jobId, "examples.jsonl"))).toBe(true);

  const logLines: Record<string, unknown>[] = [];
  const second = await start(logLines);
  const job = await waitForEvaluationJob(second.bedrock, jobArn);
  expect([job.status, job.failureMessages]).toEqual(["Completed", undefined]);
  const resumed = logLines.find((line) => line.msg === "evaluation job resumed");
  expect(resumed).toMatchObject({ jobId });
  expect(Number(resumed?.examplesDone)).toBeGreaterThanOrEqual(3);
  expect(await progress(second.api)).toEqual({ examplesDone: 40, examplesTotal: 40 });
  expect(existsSync(join(dataDirectory, "evaluation", jobId))).toBe(false);
  second.bedrock.destroy();
  second.s3.destroy();
});
