// The operations the console needs beyond Bedrock's, against a real server and signed by the console's own
// signer: UploadDataset (never overwrites, names checked), ListDatasets, GetProvisionedThroughputHostCapacity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveSigningKey, escapeUri, signRequest } from "../../console/src/lib/sigv4-signer.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;

async function call(
  method: string,
  path: string,
  options: { query?: [string, string][]; body?: string; contentType?: string } = {},
): Promise<{ status: number; errorType: string | null; json: Record<string, unknown> }> {
  const url = new URL(strata.apiUrl);
  const now = new Date();
  const key = await deriveSigningKey(
    strata.credentials.secretAccessKey,
    now.toISOString().slice(0, 10).replaceAll("-", ""),
    "us-east-1",
    "bedrock",
  );
  const body = new TextEncoder().encode(options.body ?? "");
  const headers: Record<string, string> = {
    host: url.host,
    ...(options.contentType ? { "content-type": options.contentType } : {}),
  };
  const query = options.query ?? [];
  const signed = await signRequest(
    { method, path, query, headers, body },
    strata.credentials.accessKeyId,
    key,
    now,
  );
  const { host: _host, ...sent } = headers;
  const queryText = query.map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`).join("&");
  const response = await fetch(`${strata.apiUrl}${path}${queryText ? `?${queryText}` : ""}`, {
    method,
    headers: { ...sent, ...signed },
    ...(method === "GET" ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    errorType: response.headers.get("x-amzn-errortype"),
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const upload = (name: string, body: string) =>
  call("POST", "/strata/datasets", { query: [["name", name]], body, contentType: "application/x-ndjson" });

beforeAll(async () => {
  strata = await startTestStrata({ builtinModels: false });
}, 60_000);

afterAll(async () => {
  await strata?.stop();
});

describe("UploadDataset and ListDatasets", () => {
  const text = '{"prompt":"Who declares war?","completion":"The Congress."}\n';

  it("stores the body under datasets/ in Strata's bucket, byte for byte", async () => {
    const response = await upload("train__1_.jsonl", text);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ s3Uri: "s3://strata/datasets/train__1_.jsonl", bytes: text.length });
    const stored = await strata.objectStores.defaultStore.getBytes("datasets/train__1_.jsonl");
    expect(Buffer.from(stored).toString("utf8")).toBe(text);
  });

  it("never overwrites a dataset", async () => {
    await upload("keep.jsonl", text);
    const second = await upload("keep.jsonl", "replaced\n");
    expect(second.errorType).toBe("ConflictException");
    expect(String(second.json.message)).toMatch(/keep\.jsonl already exists/);
    const stored = await strata.objectStores.defaultStore.getBytes("datasets/keep.jsonl");
    expect(Buffer.from(stored).toString("utf8")).toBe(text);
  });

  it("refuses names that would leave datasets/ or hide, and an empty body", async () => {
    for (const name of ["../escape.jsonl", "a/b.jsonl", ".hidden", "", "x".repeat(201)]) {
      const response = await upload(name, text);
      expect(`${JSON.stringify(name)} ${response.errorType}`).toBe(
        `${JSON.stringify(name)} ValidationException`,
      );
    }
    expect((await upload("empty.jsonl", "")).errorType).toBe("ValidationException");
  });

  it("lists what was uploaded", async () => {
    const response = await call("GET", "/strata/datasets");
    expect(response.json.datasets).toEqual(
      expect.arrayContaining([
        { name: "keep.jsonl", s3Uri: "s3://strata/datasets/keep.jsonl", bytes: text.length },
        { name: "train__1_.jsonl", s3Uri: "s3://strata/datasets/train__1_.jsonl", bytes: text.length },
      ]),
    );
  });

  it("requires a signature like every other operation", async () => {
    const response = await fetch(`${strata.apiUrl}/strata/datasets?name=x.jsonl`, {
      method: "POST",
      body: text,
    });
    expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });
});

describe("GetProvisionedThroughputHostCapacity", () => {
  it("reports the host's reservable capacity with nothing reserved", async () => {
    const response = await call("GET", "/strata/provisioned-throughput/host-capacity");
    const capacity = response.json as Record<string, number>;
    expect(response.status).toBe(200);
    expect(capacity.heldCores).toBe(0);
    expect(capacity.reservableCores).toBe(strata.provisionedThroughput.service.host.reservableCores);
    expect(capacity.freeModelUnits).toBe((capacity.reservableCores ?? 0) * (capacity.unitsPerCore ?? 0));
  });
});
