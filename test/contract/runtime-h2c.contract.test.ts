// The default @aws-sdk/client-bedrock-runtime client speaks cleartext HTTP/2; the one port must answer it
// exactly as real Bedrock answers an unknown model id.
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  strata = await startTestStrata();
  runtime = new BedrockRuntimeClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  runtime?.destroy();
  await strata?.stop();
});

it("answers Converse on an unknown model over h2c with Bedrock's ValidationException", async () => {
  const error = await runtime
    .send(
      new ConverseCommand({
        modelId: "acme.unknown-model-v1:0",
        messages: [{ role: "user", content: [{ text: "hello" }] }],
      }),
    )
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({
    name: "ValidationException",
    message: "The provided model identifier is invalid.",
    $metadata: { httpStatusCode: 400 },
  });
  const line = strata.logLines.find((entry) => entry.operation === "Converse");
  expect(line).toMatchObject({ httpVersion: "2.0", status: 400, errorType: "ValidationException" });
});

it("routes a percent-encoded ARN model id as one path segment", async () => {
  const arn = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefghijkl";
  const error = await runtime
    .send(new InvokeModelCommand({ modelId: arn, body: new TextEncoder().encode("{}") }))
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({
    name: "ValidationException",
    message: "The provided model identifier is invalid.",
  });
  const line = strata.logLines.find((entry) => entry.operation === "InvokeModel");
  expect(line?.path).toBe(`/model/${encodeURIComponent(arn)}/invoke`);
});

it("refuses a catalog-only Bedrock model as one without access, saying how to enable it", async () => {
  const error = await runtime
    .send(
      new ConverseCommand({
        modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
        messages: [{ role: "user", content: [{ text: "hello" }] }],
      }),
    )
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
  expect(String((error as Error).message)).toContain("pass-through");
});
