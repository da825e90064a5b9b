// Every request is verified: SigV4 (header and presigned), Bedrock API keys as Bearer, and the AWS errors
// for each way of getting it wrong — against the API and the embedded S3 endpoint.
import { Sha256 } from "@aws-crypto/sha256-js";
import { BedrockClient, ListFoundationModelsCommand } from "@aws-sdk/client-bedrock";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/api-client.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;

beforeAll(async () => {
  strata = await startTestStrata();
});

afterAll(async () => {
  await strata?.stop();
});

function bedrockWith(credentials: { accessKeyId: string; secretAccessKey: string }, extra: object = {}) {
  return new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials,
    maxAttempts: 1,
    ...extra,
  });
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  const error = (await promise.then(
    () => {
      throw new Error("expected the request to be refused");
    },
    (caught: unknown) => caught,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

async function signedListRequest(
  credentials: { accessKeyId: string; secretAccessKey: string },
  signingDate: Date,
) {
  const url = new URL("/foundation-models", strata.apiUrl);
  const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", sha256: Sha256, credentials });
  const signed = await signer.sign(
    {
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host },
    },
    { signingDate },
  );
  return fetch(url, { headers: signed.headers as Record<string, string> });
}

describe("API authentication", () => {
  it("accepts a correctly signed request", async () => {
    const { modelSummaries } = await bedrockWith(strata.credentials).send(
      new ListFoundationModelsCommand({}),
    );
    expect(modelSummaries?.length).toBeGreaterThan(10);
  });

  it("refuses a request without credentials: 403 MissingAuthenticationTokenException", async () => {
    const response = await fetch(new URL("/foundation-models", strata.apiUrl));
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await response.json()).toEqual({ message: "Missing Authentication Token" });
  });

  it("refuses a wrong secret: 403 InvalidSignatureException", async () => {
    const failure = await failureOf(
      bedrockWith({ accessKeyId: strata.credentials.accessKeyId, secretAccessKey: "not-the-secret" }).send(
        new ListFoundationModelsCommand({}),
      ),
    );
    expect(failure).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(failure.message).toContain("signature we calculated does not match");
  });

  it("refuses an unknown key: 403 UnrecognizedClientException", async () => {
    const failure = await failureOf(
      bedrockWith({ accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x" }).send(
        new ListFoundationModelsCommand({}),
      ),
    );
    expect(failure).toEqual({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
  });

  it("refuses a key once it is revoked", async () => {
    const admin = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
    const created = await admin.call<{ keyId: string; secretAccessKey: string }>({
      method: "POST",
      path: "/strata/keys",
      body: { keyType: "ACCESS_KEY", description: "to be revoked" },
    });
    const user = bedrockWith({ accessKeyId: created.keyId, secretAccessKey: created.secretAccessKey });
    await user.send(new ListFoundationModelsCommand({}));
    await admin.call({ method: "POST", path: `/strata/keys/${created.keyId}/revoke` });
    const failure = await failureOf(user.send(new ListFoundationModelsCommand({})));
    expect(failure).toMatchObject({ name: "UnrecognizedClientException", status: 403 });
  });

  it("refuses a skewed clock with 'Signature expired' and a Date header the SDK corrects from", async () => {
    const skewed = new Date(Date.now() - 20 * 60_000);
    const response = await signedListRequest(strata.credentials, skewed);
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const serverDate = response.headers.get("date");
    expect(serverDate).toBeTruthy();
    expect(Math.abs(new Date(serverDate ?? 0).getTime() - Date.now())).toBeLessThan(5_000);

    // The SDK, 20 minutes off, is refused once, corrects its clock from the Date header and retries.
    const sdk = bedrockWith(strata.credentials, { systemClockOffset: -20 * 60_000, maxAttempts: 3 });
    const { modelSummaries } = await sdk.send(new ListFoundationModelsCommand({}));
    expect(modelSummaries?.length).toBeGreaterThan(0);
  });

  it("accepts a presigned (query-string) request and refuses it once expired", async () => {
    const url = new URL("/foundation-models?byProvider=Amazon", strata.apiUrl);
    const signer = new SignatureV4({
      service: "bedrock",
      region: "us-east-1",
      sha256: Sha256,
      credentials: strata.credentials,
    });
    const request = {
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: { byProvider: "Amazon" },
      headers: { host: url.host },
    };
    const presigned = await signer.presign(request, { expiresIn: 60 });
    const target = new URL(url.pathname, strata.apiUrl);
    for (const [key, value] of Object.entries(presigned.query ?? {}))
      target.searchParams.set(key, String(value));
    const response = await fetch(target);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { modelSummaries: { providerName: string }[] };
    expect(new Set(body.modelSummaries.map((model) => model.providerName))).toEqual(new Set(["Amazon"]));

    const old = await signer.presign(request, {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 5 * 60_000),
    });
    const expiredTarget = new URL(url.pathname, strata.apiUrl);
    for (const [key, value] of Object.entries(old.query ?? {}))
      expiredTarget.searchParams.set(key, String(value));
    const expired = await fetch(expiredTarget);
    expect(expired.status).toBe(403);
    expect(expired.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });

  it("accepts a Bedrock API key as Bearer, the way the SDK sends AWS_BEARER_TOKEN_BEDROCK", async () => {
    const apiKey = strata.credentials.apiKey ?? "";
    expect(apiKey).toMatch(/^ABSK/);
    // The SDK reads AWS_BEARER_TOKEN_BEDROCK (and prefers Bearer over SigV4) when a request is sent.
    process.env.AWS_BEARER_TOKEN_BEDROCK = apiKey;
    const client = new BedrockClient({ endpoint: strata.apiUrl, region: "us-east-1", maxAttempts: 1 });
    let modelSummaries: unknown[] | undefined;
    try {
      ({ modelSummaries } = await client.send(new ListFoundationModelsCommand({ byProvider: "Meta" })));
    } finally {
      delete process.env.AWS_BEARER_TOKEN_BEDROCK;
    }
    expect(modelSummaries?.length).toBeGreaterThan(0);
    const line = strata.logLines.findLast((entry) => entry.operation === "ListFoundationModels");
    expect(String(line?.caller)).toMatch(/^BK/);

    const refused = await fetch(new URL("/foundation-models", strata.apiUrl), {
      headers: { authorization: "Bearer ABSKnot-a-real-key" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-amzn-errortype")).toBe("UnrecognizedClientException");
  });

  it("never writes a secret into the log", () => {
    const log = JSON.stringify(strata.logLines);
    expect(log).not.toContain(strata.credentials.secretAccessKey);
    expect(log).not.toContain(strata.credentials.apiKey ?? "no-api-key");
  });
});

describe("embedded S3 endpoint", () => {
  function s3With(credentials: { accessKeyId: string; secretAccessKey: string }) {
    return new S3Client({
      endpoint: strata.s3Url,
      region: "us-east-1",
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    });
  }

  it("puts, gets, lists and deletes objects with Strata's own key", async () => {
    const s3 = s3With(strata.credentials);
    await s3.send(
      new PutObjectCommand({
        Bucket: "strata",
        Key: "datasets/train.jsonl",
        Body: '{"prompt":"a","completion":"b"}\n',
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "strata", Key: "datasets/train.jsonl" }));
    expect(await got.Body?.transformToString()).toBe('{"prompt":"a","completion":"b"}\n');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "strata", Prefix: "datasets/" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["datasets/train.jsonl"]);
    await s3.send(new DeleteObjectCommand({ Bucket: "strata", Key: "datasets/train.jsonl" }));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: "strata", Prefix: "datasets/" }));
    expect(after.Contents ?? []).toEqual([]);
  });

  it("refuses s3rver's built-in S3RVER key pair", async () => {
    const failure = await failureOf(
      s3With({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }).send(
        new ListObjectsV2Command({ Bucket: "strata" }),
      ),
    );
    expect(failure).toMatchObject({ name: "InvalidAccessKeyId", status: 403 });
  });

  it("refuses a wrong secret and an unsigned request", async () => {
    const failure = await failureOf(
      s3With({ accessKeyId: strata.credentials.accessKeyId, secretAccessKey: "wrong" }).send(
        new ListObjectsV2Command({ Bucket: "strata" }),
      ),
    );
    expect(failure).toMatchObject({ name: "SignatureDoesNotMatch", status: 403 });
    const anonymous = await fetch(`${strata.s3Url}/strata?list-type=2`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain("<Code>AccessDenied</Code>");
  });
});
