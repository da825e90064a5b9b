// The console's SigV4 signer (signing keys derived once, no secret kept) against the AWS SDKs' own signer and
// against the server's verifier: the same Authorization header, and a signature the server accepts.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { deriveSigningKey, escapeUri, signRequest } from "../../console/src/lib/sigv4-signer.js";
import { verifySignature } from "../../src/auth/sigv4/verify-signature.js";

const accessKeyId = "AKIATESTCONSOLE00001";
const secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const now = new Date("2026-11-29T19:30:05.123Z");
const host = "127.0.0.1:8787";

interface Case {
  name: string;
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: string;
}

const arn = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefghijkl";
const cases: Case[] = [
  { name: "GET without query", method: "GET", path: "/strata/info", query: [], headers: { host }, body: "" },
  {
    name: "GET with a query that needs escaping",
    method: "GET",
    path: "/strata/usage/invocations",
    query: [
      ["from", "2026-11-29T19:00:00.000Z"],
      ["maxResults", "1000"],
      ["modelId", "anthropic.claude-3-haiku-20240307-v1:0"],
    ],
    headers: { host },
    body: "",
  },
  {
    name: "POST to a path label holding an ARN",
    method: "POST",
    path: `/model/${escapeUri(arn)}/converse-stream`,
    query: [],
    headers: { host, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hello (world)! it's *me*" }] }] }),
  },
  {
    name: "raw body with a name in the query",
    method: "POST",
    path: "/strata/datasets",
    query: [["name", "20261129T193005Z-my data (1).jsonl"]],
    headers: { host, "content-type": "application/x-ndjson" },
    body: '{"prompt":"a","completion":"b"}\n',
  },
];

async function consoleHeaders(testCase: Case, region = "us-east-1") {
  const key = await deriveSigningKey(secretAccessKey, "20261129", region, "bedrock");
  return signRequest(
    {
      method: testCase.method,
      path: testCase.path,
      query: testCase.query,
      headers: testCase.headers,
      body: new TextEncoder().encode(testCase.body),
    },
    accessKeyId,
    key,
    now,
  );
}

describe("the console's SigV4 signer", () => {
  for (const testCase of cases) {
    it(`signs like @smithy/signature-v4: ${testCase.name}`, async () => {
      const reference = new SignatureV4({
        credentials: { accessKeyId, secretAccessKey },
        region: "us-east-1",
        service: "bedrock",
        sha256: Sha256,
        uriEscapePath: true,
      });
      const signed = await reference.sign(
        {
          method: testCase.method,
          protocol: "http:",
          hostname: "127.0.0.1",
          port: 8787,
          path: testCase.path,
          query: Object.fromEntries(testCase.query),
          headers: { ...testCase.headers },
          body: testCase.body,
        },
        { signingDate: now },
      );
      const ours = await consoleHeaders(testCase);
      expect(ours.authorization).toBe(signed.headers.authorization);
      expect(ours["x-amz-date"]).toBe(signed.headers["x-amz-date"]);
    });

    it(`is accepted by the server's verifier: ${testCase.name}`, async () => {
      const headers = await consoleHeaders(testCase);
      const rawQuery = testCase.query
        .map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`)
        .join("&");
      const body = new TextEncoder().encode(testCase.body);
      const lookup = () => ({ secretAccessKey, status: "Active" as const });
      const verify = (overrides: { body?: Uint8Array; path?: string }) =>
        verifySignature(
          {
            method: testCase.method,
            rawPath: overrides.path ?? testCase.path,
            rawQuery,
            headers: { ...testCase.headers, ...headers },
            body: overrides.body ?? body,
          },
          lookup,
          { service: "bedrock", uriEscapePath: true, now },
        );
      expect(await verify({})).toMatchObject({ ok: true, accessKeyId });
      // A changed body or path no longer verifies: the signature covers them.
      expect((await verify({ body: new TextEncoder().encode(`${testCase.body} `) })).ok).toBe(false);
      expect((await verify({ path: `${testCase.path}x` })).ok).toBe(false);
    });
  }

  it("refuses to sign with a key derived for another day", async () => {
    const key = await deriveSigningKey(secretAccessKey, "20261128", "us-east-1", "bedrock");
    await expect(
      signRequest(
        { method: "GET", path: "/", query: [], headers: { host }, body: new Uint8Array() },
        accessKeyId,
        key,
        now,
      ),
    ).rejects.toThrow(/20261128/);
  });

  it("keeps no trace of the secret in the derived key", async () => {
    const key = await deriveSigningKey(secretAccessKey, "20261129", "us-east-1", "bedrock");
    expect(JSON.stringify(key)).not.toContain(secretAccessKey);
    expect(key.keyHex).toMatch(/^[0-9a-f]{64}$/);
  });
});
