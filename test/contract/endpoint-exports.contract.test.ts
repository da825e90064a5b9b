// The lines `strata serve` prints are enough: an unmodified SDK client built with no options at all finds
// Strata through AWS_ENDPOINT_URL_BEDROCK(_RUNTIME), AWS_ENDPOINT_URL_S3 and the credentials file.
import { BedrockClient, ListFoundationModelsCommand } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { endpointExportLines } from "../../src/cli/endpoint-exports.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;

beforeAll(async () => {
  strata = await startTestStrata();
  for (const line of endpointExportLines({
    region: "us-east-1",
    apiUrl: strata.apiUrl,
    s3Url: strata.s3Url,
    credentialsFile: strata.firstStart.credentialsFile,
  })) {
    for (const assignment of line.replace(/^export /, "").split(" ")) {
      const [name, value] = assignment.split("=");
      if (name && value) process.env[name] = value;
    }
  }
  for (const name of [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_BEARER_TOKEN_BEDROCK",
  ]) {
    delete process.env[name];
  }
});

afterAll(async () => {
  await strata?.stop();
});

it("lets SDK clients with no configuration reach the API and the S3 endpoint", async () => {
  const bedrock = new BedrockClient({});
  const { modelSummaries } = await bedrock.send(new ListFoundationModelsCommand({}));
  expect(modelSummaries?.length).toBeGreaterThan(10);

  const runtime = new BedrockRuntimeClient({});
  const error = await runtime
    .send(
      new ConverseCommand({
        modelId: "acme.unknown-v1:0",
        messages: [{ role: "user", content: [{ text: "hi" }] }],
      }),
    )
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({
    name: "ValidationException",
    message: "The provided model identifier is invalid.",
  });

  const s3 = new S3Client({});
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  expect(Buckets?.map((bucket) => bucket.Name)).toContain("strata");
  // An IP endpoint makes the SDK address buckets path-style by itself.
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "strata" }));
  expect(listed.$metadata.httpStatusCode).toBe(200);
  for (const client of [bedrock, runtime, s3]) client.destroy();
});
