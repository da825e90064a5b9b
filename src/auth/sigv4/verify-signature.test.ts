import { Sha256 } from "@aws-crypto/sha256-js";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import {
  type AccessKeyLookup,
  type IncomingSignedRequest,
  type StoredAccessKey,
  type VerifyOptions,
  verifySignature,
} from "./verify-signature.js";

type SignableRequest = Parameters<SignatureV4["presign"]>[0];

const accessKeyId = "AKIASTRATATEST000001";
const secretAccessKey = "strata-test-secret-key-0000000000000000000";
const signedAt = new Date("2026-11-29T13:26:00Z");
const keys = new Map<string, StoredAccessKey>([
  [accessKeyId, { secretAccessKey, status: "Active" }],
  ["AKIAINACTIVE00000000", { secretAccessKey: "inactive-secret", status: "Inactive" }],
]);
const lookup: AccessKeyLookup = (id) => keys.get(id);
const bedrock: VerifyOptions = { service: "bedrock", uriEscapePath: true, now: signedAt };
const s3: VerifyOptions = { service: "s3", uriEscapePath: false, now: signedAt };

const modelArnPath =
  "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-v2/converse";
const jsonBody = new TextEncoder().encode(
  JSON.stringify({ messages: [{ role: "user", content: [{ text: "héllo wörld" }] }] }),
);

function signer(service: string, uriEscapePath: boolean, secret = secretAccessKey, keyId = accessKeyId) {
  return new SignatureV4({
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    region: "us-west-2",
    service,
    sha256: Sha256,
    uriEscapePath,
    // Like the Bedrock runtime client: the body hash goes into the canonical request, not into a header.
    applyChecksum: service === "s3",
  });
}

/** What the SDK's HTTP handler puts on the wire for a smithy query object. */
function wireQuery(query: SignableRequest["query"]): string {
  const escapeComponent = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const name of Object.keys(query ?? {}).sort()) {
    const value = query?.[name];
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(
        item === null || item === undefined
          ? escapeComponent(name)
          : `${escapeComponent(name)}=${escapeComponent(item)}`,
      );
    }
  }
  return parts.join("&");
}

function toIncoming(signed: SignableRequest, body?: Uint8Array): IncomingSignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    rawPath: signed.path,
    rawQuery: wireQuery(signed.query),
    headers,
    ...(body ? { body } : {}),
  };
}

function converseRequest(extraHeaders: Record<string, string> = {}): SignableRequest {
  return {
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 8080,
    path: modelArnPath,
    query: {},
    headers: { host: "127.0.0.1:8080", "content-type": "application/json", ...extraHeaders },
    body: jsonBody,
  };
}

async function signedConverse(options: { secret?: string; keyId?: string; at?: Date } = {}) {
  const signed = await signer("bedrock", true, options.secret, options.keyId).sign(converseRequest(), {
    signingDate: options.at ?? signedAt,
  });
  return toIncoming(signed, jsonBody);
}

describe("verifySignature, Authorization header", () => {
  it("accepts a signed Converse request whose path holds an encoded inference-profile ARN", async () => {
    const result = await verifySignature(await signedConverse(), lookup, bedrock);
    expect(result).toEqual({ ok: true, accessKeyId, region: "us-west-2" });
  });

  it("accepts a query with repeated keys and spaces, sent with %20 or with +", async () => {
    const request: SignableRequest = {
      ...converseRequest(),
      method: "GET",
      path: "/foundation-models",
      query: { byProvider: "Anthropic PBC", tag: ["zeta", "alpha beta"], empty: "" },
      body: undefined,
    };
    const signed = toIncoming(await signer("bedrock", true).sign(request, { signingDate: signedAt }));
    expect(signed.rawQuery).toContain("alpha%20beta");
    expect((await verifySignature(signed, lookup, bedrock)).ok).toBe(true);
    const withPlus = { ...signed, rawQuery: signed.rawQuery.replace(/%20/g, "+") };
    expect((await verifySignature(withPlus, lookup, bedrock)).ok).toBe(true);
    const reordered = { ...signed, rawQuery: signed.rawQuery.split("&").reverse().join("&") };
    expect((await verifySignature(reordered, lookup, bedrock)).ok).toBe(true);
    const tampered = { ...signed, rawQuery: signed.rawQuery.replace("zeta", "zetb") };
    expect(await failureKind(tampered, bedrock)).toBe("SignatureMismatch");
  });

  it("includes headers such as user-agent when the client signed them", async () => {
    const request = converseRequest({ "user-agent": "strata-test/1.0" });
    const signed = await signer("bedrock", true).sign(request, {
      signingDate: signedAt,
      signableHeaders: new Set(["user-agent"]),
    });
    const incoming = toIncoming(signed, jsonBody);
    expect(incoming.headers.authorization).toContain("user-agent");
    expect((await verifySignature(incoming, lookup, bedrock)).ok).toBe(true);
    const changed = { ...incoming, headers: { ...incoming.headers, "user-agent": "other/2.0" } };
    expect(await failureKind(changed, bedrock)).toBe("SignatureMismatch");
  });

  it("ignores headers the client did not sign", async () => {
    const incoming = await signedConverse();
    const extra = { ...incoming, headers: { ...incoming.headers, "user-agent": "anything", "x-extra": "1" } };
    expect((await verifySignature(extra, lookup, bedrock)).ok).toBe(true);
  });

  it("refuses a wrong secret, a tampered path and the wrong service", async () => {
    expect(await failureKind(await signedConverse({ secret: "not-the-secret" }), bedrock)).toBe(
      "SignatureMismatch",
    );
    const incoming = await signedConverse();
    const otherPath = { ...incoming, rawPath: incoming.rawPath.replace("claude-v2", "claude-v3") };
    expect(await failureKind(otherPath, bedrock)).toBe("SignatureMismatch");
    const result = await verifySignature(incoming, lookup, { ...bedrock, service: "s3" });
    expect(result).toMatchObject({
      ok: false,
      failure: {
        kind: "SignatureMismatch",
        message: "Credential should be scoped to correct service: 's3'.",
      },
    });
  });

  it("refuses unknown and inactive access keys with AWS's message", async () => {
    const unknown = await verifySignature(
      await signedConverse({ keyId: "AKIAUNKNOWN000000000" }),
      lookup,
      bedrock,
    );
    expect(unknown).toEqual({
      ok: false,
      failure: {
        kind: "UnrecognizedAccessKey",
        accessKeyId: "AKIAUNKNOWN000000000",
        message: "The security token included in the request is invalid.",
      },
    });
    const inactive = await signedConverse({ keyId: "AKIAINACTIVE00000000", secret: "inactive-secret" });
    expect(await failureKind(inactive, bedrock)).toBe("UnrecognizedAccessKey");
  });

  it("checks the key before the clock", async () => {
    const stale = await signedConverse({
      keyId: "AKIAUNKNOWN000000000",
      at: new Date("2020-01-01T00:00:00Z"),
    });
    expect(await failureKind(stale, bedrock)).toBe("UnrecognizedAccessKey");
  });

  it("checks the signature before the clock", async () => {
    const stale = await signedConverse({ secret: "wrong", at: new Date("2020-01-01T00:00:00Z") });
    expect(await failureKind(stale, bedrock)).toBe("SignatureMismatch");
  });

  it("detects a tampered body: x-amz-content-sha256 mismatch, or signature mismatch without it", async () => {
    const withHash = await signer("bedrock", true).sign(
      converseRequest({ "x-amz-content-sha256": createSha256Hex(jsonBody) }),
      { signingDate: signedAt },
    );
    const tamperedBody = new TextEncoder().encode('{"messages":[]}');
    const hashed = toIncoming(withHash, jsonBody);
    expect((await verifySignature(hashed, lookup, bedrock)).ok).toBe(true);
    expect(await failureKind({ ...hashed, body: tamperedBody }, bedrock)).toBe("PayloadHashMismatch");
    const plain = await signedConverse();
    expect(plain.headers["x-amz-content-sha256"]).toBeUndefined();
    expect(await failureKind({ ...plain, body: tamperedBody }, bedrock)).toBe("SignatureMismatch");
  });

  it("refuses a date 20 minutes in the past or the future with AWS's exact message", async () => {
    const past = await verifySignature(await signedConverse(), lookup, {
      ...bedrock,
      now: new Date("2026-11-29T13:46:00Z"),
    });
    expect(past).toEqual({
      ok: false,
      failure: {
        kind: "SignatureExpired",
        accessKeyId,
        serverTime: new Date("2026-11-29T13:46:00Z"),
        message:
          "Signature expired: 20261129T132600Z is now earlier than 20261129T133100Z (20261129T134600Z - 15 min.)",
      },
    });
    const future = await verifySignature(await signedConverse(), lookup, {
      ...bedrock,
      now: new Date("2026-11-29T13:06:00Z"),
    });
    expect(future).toMatchObject({
      ok: false,
      failure: {
        kind: "SignatureExpired",
        message:
          "Signature not yet current: 20261129T132600Z is still later than 20261129T132100Z (20261129T130600Z + 15 min.)",
      },
    });
    const withinSkew = await verifySignature(await signedConverse(), lookup, {
      ...bedrock,
      now: new Date("2026-11-29T13:40:00Z"),
    });
    expect(withinSkew.ok).toBe(true);
  });

  it("says MissingAuthentication when there are no credentials", async () => {
    const incoming = await signedConverse();
    const { authorization: _removed, ...headers } = incoming.headers;
    const result = await verifySignature({ ...incoming, headers }, lookup, bedrock);
    expect(result).toEqual({
      ok: false,
      failure: { kind: "MissingAuthentication", message: "Missing Authentication Token" },
    });
  });

  it("says IncompleteSignature for garbage or partial Authorization headers", async () => {
    const incoming = await signedConverse();
    for (const authorization of [
      "garbage",
      "Bearer abc.def",
      "AWS AKIAEXAMPLE:c2lnbmF0dXJl",
      "AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/bedrock/aws4_request",
      "AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=xyz",
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261129/us-east-1/bedrock/aws4_request, SignedHeaders=x-amz-date, Signature=${"0".repeat(64)}`,
    ]) {
      const result = await verifySignature(
        { ...incoming, headers: { ...incoming.headers, authorization } },
        lookup,
        bedrock,
      );
      expect(result.ok ? "ok" : result.failure.kind, authorization).toBe("IncompleteSignature");
    }
    const { "x-amz-date": _date, ...withoutDate } = incoming.headers;
    expect(await failureKind({ ...incoming, headers: withoutDate }, bedrock)).toBe("IncompleteSignature");
  });

  it("never echoes the secret in a failure message", async () => {
    for (const incoming of [await signedConverse({ secret: "wrong" }), await signedConverse()]) {
      const result = await verifySignature(incoming, lookup, {
        ...bedrock,
        now: new Date("2030-01-01T00:00:00Z"),
      });
      expect(JSON.stringify(result)).not.toContain(secretAccessKey);
    }
  });

  it("verifies S3-style requests, where the path is signed exactly as sent", async () => {
    const request: SignableRequest = {
      method: "PUT",
      protocol: "http:",
      hostname: "127.0.0.1",
      path: "/strata/datasets/train%20set%2B%C3%A9.jsonl",
      query: { "x-id": "PutObject" },
      headers: { host: "127.0.0.1:9000", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    };
    const incoming = toIncoming(await signer("s3", false).sign(request, { signingDate: signedAt }));
    expect((await verifySignature(incoming, lookup, s3)).ok).toBe(true);
    expect(await failureKind(incoming, { ...s3, uriEscapePath: true })).toBe("SignatureMismatch");
  });
});

describe("verifySignature with the real Bedrock runtime client", () => {
  it("accepts what BedrockRuntimeClient signs for an inference-profile ARN", async () => {
    let captured: SignableRequest | undefined;
    const client = new BedrockRuntimeClient({
      region: "eu-central-1",
      endpoint: "http://127.0.0.1:8080",
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: SignableRequest) => {
          captured = request;
          throw new Error("captured");
        },
      },
    });
    const modelId = "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.claude-x";
    await expect(
      client.send(
        new ConverseCommand({ modelId, messages: [{ role: "user", content: [{ text: "a + b = c?" }] }] }),
      ),
    ).rejects.toThrow("captured");
    if (!captured) throw new Error("the client sent nothing");
    const body = typeof captured.body === "string" ? new TextEncoder().encode(captured.body) : captured.body;
    const incoming = toIncoming(captured, body);
    expect(incoming.rawPath).toContain("arn%3Aaws%3Abedrock");
    expect(await verifySignature(incoming, lookup, { service: "bedrock", uriEscapePath: true })).toEqual({
      ok: true,
      accessKeyId,
      region: "eu-central-1",
    });
  });
});

describe("verifySignature, presigned URLs", () => {
  const objectRequest: SignableRequest = {
    method: "GET",
    protocol: "http:",
    hostname: "127.0.0.1",
    path: "/strata/models/weights%3Av1.bin",
    query: { "x-id": "GetObject", "response-content-disposition": "attachment; filename=a b.bin" },
    headers: { host: "127.0.0.1:9000" },
  };

  it("accepts an S3 presigned GET as the S3 presigner builds it (UNSIGNED-PAYLOAD hoisted into the query)", async () => {
    const presigned = await signer("s3", false).presign(
      { ...objectRequest, headers: { ...objectRequest.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } },
      { signingDate: signedAt, expiresIn: 900 },
    );
    const incoming = toIncoming(presigned);
    expect(incoming.rawQuery).toContain("x-amz-content-sha256=UNSIGNED-PAYLOAD");
    expect(await verifySignature(incoming, lookup, s3)).toEqual({
      ok: true,
      accessKeyId,
      region: "us-west-2",
    });
  });

  it("accepts a presigned URL without a payload hash parameter (S3 implies UNSIGNED-PAYLOAD)", async () => {
    const presigned = await signer("s3", false).presign(
      { ...objectRequest, headers: { ...objectRequest.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } },
      {
        signingDate: signedAt,
        expiresIn: 900,
        unhoistableHeaders: new Set(["x-amz-content-sha256"]),
        unsignableHeaders: new Set(["x-amz-content-sha256"]),
      },
    );
    const incoming = toIncoming(presigned);
    delete incoming.headers["x-amz-content-sha256"];
    expect(incoming.rawQuery).not.toContain("content-sha256");
    expect((await verifySignature(incoming, lookup, s3)).ok).toBe(true);
  });

  it("accepts a presigned bedrock GET (empty payload hash)", async () => {
    const presigned = await signer("bedrock", true).presign(
      { ...objectRequest, path: modelArnPath.replace("/converse", ""), query: {} },
      { signingDate: signedAt, expiresIn: 60 },
    );
    expect((await verifySignature(toIncoming(presigned), lookup, bedrock)).ok).toBe(true);
  });

  it("refuses it after X-Amz-Expires, and a tampered or foreign one", async () => {
    const presigned = toIncoming(
      await signer("s3", false).presign(
        {
          ...objectRequest,
          headers: { ...objectRequest.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
        },
        { signingDate: signedAt, expiresIn: 900 },
      ),
    );
    const stillValid = await verifySignature(presigned, lookup, {
      ...s3,
      now: new Date("2026-11-29T13:40:59Z"),
    });
    expect(stillValid.ok).toBe(true);
    const expired = await verifySignature(presigned, lookup, {
      ...s3,
      now: new Date("2026-11-29T13:41:01Z"),
    });
    expect(expired).toMatchObject({
      ok: false,
      failure: {
        kind: "SignatureExpired",
        accessKeyId,
        message:
          "Signature expired: 20261129T132600Z is now earlier than 20261129T132601Z (20261129T134101Z - 15 min.)",
      },
    });
    const longer = {
      ...presigned,
      rawQuery: presigned.rawQuery.replace("X-Amz-Expires=900", "X-Amz-Expires=9000"),
    };
    expect(await failureKind(longer, s3)).toBe("SignatureMismatch");
    const wrongSecret = toIncoming(
      await signer("s3", false, "wrong").presign(objectRequest, { signingDate: signedAt, expiresIn: 900 }),
    );
    expect(await failureKind(wrongSecret, s3)).toBe("SignatureMismatch");
    const withHeader = {
      ...presigned,
      headers: { ...presigned.headers, authorization: "AWS4-HMAC-SHA256 x" },
    };
    expect(await failureKind(withHeader, s3)).toBe("IncompleteSignature");
    const noSignature = {
      ...presigned,
      rawQuery: presigned.rawQuery.replace(/&X-Amz-Signature=[0-9a-f]+/, ""),
    };
    expect(await failureKind(noSignature, s3)).toBe("IncompleteSignature");
  });
});

async function failureKind(request: IncomingSignedRequest, options: VerifyOptions): Promise<string> {
  const result = await verifySignature(request, lookup, options);
  return result.ok ? "ok" : result.failure.kind;
}

function createSha256Hex(bytes: Uint8Array): string {
  const hash = new Sha256();
  hash.update(bytes);
  return Buffer.from(hash.digestSync()).toString("hex");
}
