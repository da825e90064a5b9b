import { createHash, createHmac } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredAccessKey } from "../../auth/sigv4/verify-signature.js";
import { type EmbeddedS3, startEmbeddedS3 } from "./start-embedded-s3.js";

const accessKeyId = "AKIASTRATAS3TEST0001";
const secretAccessKey = "embedded-s3-test-secret-000000000000000000";
const keys = new Map<string, StoredAccessKey>([[accessKeyId, { secretAccessKey, status: "Active" }]]);

let workDirectory: string;
let objectsDirectory: string;
let s3: EmbeddedS3;
const logEntries: Record<string, unknown>[] = [];

beforeAll(async () => {
  workDirectory = await mkdtemp(path.join(tmpdir(), "strata-embedded-s3-test-"));
  objectsDirectory = path.join(workDirectory, "objects");
  s3 = await startEmbeddedS3({
    host: "127.0.0.1",
    port: 0,
    directory: objectsDirectory,
    bucket: "strata",
    lookupAccessKey: (id) => keys.get(id),
    log: (entry) => logEntries.push(entry),
  });
});

afterAll(async () => {
  await s3?.close();
  await rm(workDirectory, { recursive: true, force: true });
});

function client(overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: s3.url,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    ...overrides,
  });
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode };
  }
  throw new Error("expected the request to be refused");
}

interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends exactly the given path (no URL normalisation), signed with SignatureV4 like the SDK would. */
async function signedRawRequest(options: {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: Buffer;
  headers?: Record<string, string>;
  secret?: string;
  keyId?: string;
  signingDate?: Date;
}): Promise<RawResponse> {
  const url = new URL(s3.url);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.keyId ?? accessKeyId,
      secretAccessKey: options.secret ?? secretAccessKey,
    },
    region: "us-east-1",
    service: "s3",
    sha256: Sha256,
    uriEscapePath: false,
  });
  const body = options.body ?? Buffer.alloc(0);
  const signed = await signer.sign(
    {
      method: options.method,
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: options.path,
      query: options.query ?? {},
      headers: { host: url.host, "content-length": String(body.length), ...options.headers },
      body,
    },
    { signingDate: options.signingDate ?? new Date() },
  );
  const query = new URLSearchParams(options.query ?? {}).toString().replace(/\+/g, "%20");
  return rawRequest(options.method, `${options.path}${query ? `?${query}` : ""}`, signed.headers, body);
}

function rawRequest(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<RawResponse> {
  const url = new URL(s3.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method, path: pathAndQuery, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: response.headers,
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("embedded S3 with the real S3 client", () => {
  it("puts, gets, heads, lists and deletes objects", async () => {
    const s3Client = client();
    await s3Client.send(
      new PutObjectCommand({
        Bucket: "strata",
        Key: "datasets/train set.jsonl",
        Body: '{"a":1}\n',
        ContentType: "application/jsonl",
      }),
    );
    const large = Buffer.alloc(1024 * 1024 + 17);
    for (let index = 0; index < large.length; index += 1) large[index] = (index * 31) % 251;
    await s3Client.send(new PutObjectCommand({ Bucket: "strata", Key: "models/weights.bin", Body: large }));

    const small = await s3Client.send(
      new GetObjectCommand({ Bucket: "strata", Key: "datasets/train set.jsonl" }),
    );
    expect(await small.Body?.transformToString()).toBe('{"a":1}\n');
    expect(small.ContentType).toBe("application/jsonl");
    const big = await s3Client.send(new GetObjectCommand({ Bucket: "strata", Key: "models/weights.bin" }));
    expect(Buffer.from((await big.Body?.transformToByteArray()) ?? []).equals(large)).toBe(true);

    const head = await s3Client.send(new HeadObjectCommand({ Bucket: "strata", Key: "models/weights.bin" }));
    expect(head.ContentLength).toBe(large.length);

    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: "strata", Prefix: "datasets/" }));
    expect(listed.Contents?.map((entry) => entry.Key)).toEqual(["datasets/train set.jsonl"]);

    await s3Client.send(new DeleteObjectCommand({ Bucket: "strata", Key: "datasets/train set.jsonl" }));
    expect(
      await errorOf(
        s3Client.send(new HeadObjectCommand({ Bucket: "strata", Key: "datasets/train set.jsonl" })),
      ),
    ).toMatchObject({
      status: 404,
    });
  });

  it("accepts a streamed body sent aws-chunked with a CRC32 trailer, and stores the decoded bytes", async () => {
    const s3Client = client();
    const parts = [Buffer.from("first part, "), Buffer.alloc(70_000, 0x61), Buffer.from(", last")];
    const expected = Buffer.concat(parts);
    await s3Client.send(
      new PutObjectCommand({
        Bucket: "strata",
        Key: "streams/chunked.txt",
        Body: Readable.from(parts),
        ContentLength: expected.length,
      }),
    );
    const stored = await s3Client.send(
      new GetObjectCommand({ Bucket: "strata", Key: "streams/chunked.txt" }),
    );
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(expected)).toBe(true);
    expect(stored.ContentEncoding).toBeUndefined();
  });

  it("accepts a stream of unknown length when the client does not add checksums", async () => {
    // With the default requestChecksumCalculation the SDK refuses such a body before sending it.
    await expect(
      client().send(
        new PutObjectCommand({
          Bucket: "strata",
          Key: "streams/unknown.txt",
          Body: Readable.from([Buffer.from("x")]),
        }),
      ),
    ).rejects.toThrow(/x-amz-decoded-content-length/);
    const s3Client = client({ requestChecksumCalculation: "WHEN_REQUIRED" });
    await s3Client.send(
      new PutObjectCommand({
        Bucket: "strata",
        Key: "streams/unknown.txt",
        Body: Readable.from([Buffer.from("abc"), Buffer.from("def")]),
      }),
    );
    const stored = await s3Client.send(
      new GetObjectCommand({ Bucket: "strata", Key: "streams/unknown.txt" }),
    );
    expect(await stored.Body?.transformToString()).toBe("abcdef");
  });

  it("creates and lists buckets", async () => {
    const s3Client = client();
    await s3Client.send(new CreateBucketCommand({ Bucket: "second-bucket" }));
    const buckets = await s3Client.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((bucket) => bucket.Name).sort()).toEqual(["second-bucket", "strata"]);
    expect(await errorOf(s3Client.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).toMatchObject({
      status: 400,
    });
  });

  it("serves a presigned GET URL and refuses it once expired", async () => {
    await client().send(new PutObjectCommand({ Bucket: "strata", Key: "shared/report.txt", Body: "report" }));
    const url = new URL(s3.url);
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: "us-east-1",
      service: "s3",
      sha256: Sha256,
      uriEscapePath: false,
    });
    const presign = (signingDate: Date) =>
      signer.presign(
        {
          method: "GET",
          protocol: "http:",
          hostname: url.hostname,
          port: Number(url.port),
          path: "/strata/shared/report.txt",
          query: { "x-id": "GetObject" },
          headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
        },
        { signingDate, expiresIn: 60 },
      );
    const toUrl = (request: Awaited<ReturnType<typeof presign>>) =>
      `${s3.url}${request.path}?${new URLSearchParams(request.query as Record<string, string>).toString()}`;
    const fresh = await fetch(toUrl(await presign(new Date())));
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe("report");
    const expired = await fetch(toUrl(await presign(new Date(Date.now() - 5 * 60 * 1000))));
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain("Request has expired");
  });
});

describe("embedded S3 refusals", () => {
  it("refuses a request without credentials", async () => {
    const response = await fetch(`${s3.url}/strata/models/weights.bin`);
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
    expect(await response.text()).toContain("<Code>AccessDenied</Code>");
    const listing = await fetch(`${s3.url}/`);
    expect(listing.status).toBe(403);
  });

  it("refuses a wrong secret, an unknown key and a revoked key", async () => {
    const wrongSecret = await errorOf(
      client({ credentials: { accessKeyId, secretAccessKey: "wrong-secret" } }).send(
        new ListBucketsCommand({}),
      ),
    );
    expect(wrongSecret).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
    const unknown = await errorOf(
      client({ credentials: { accessKeyId: "AKIANOBODY0000000000", secretAccessKey } }).send(
        new ListBucketsCommand({}),
      ),
    );
    expect(unknown).toEqual({ name: "InvalidAccessKeyId", status: 403 });

    keys.set("AKIATEMPORARY0000001", { secretAccessKey: "temporary-secret", status: "Active" });
    const temporary = client({
      credentials: { accessKeyId: "AKIATEMPORARY0000001", secretAccessKey: "temporary-secret" },
    });
    await temporary.send(new ListBucketsCommand({}));
    keys.set("AKIATEMPORARY0000001", { secretAccessKey: "temporary-secret", status: "Inactive" });
    expect(await errorOf(temporary.send(new ListBucketsCommand({})))).toEqual({
      name: "InvalidAccessKeyId",
      status: 403,
    });
    keys.delete("AKIATEMPORARY0000001");
    expect(await errorOf(temporary.send(new ListBucketsCommand({})))).toEqual({
      name: "InvalidAccessKeyId",
      status: 403,
    });
  });

  it("refuses s3rver's built-in S3RVER/S3RVER key pair", async () => {
    const builtIn = await errorOf(
      client({ credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } }).send(
        new ListBucketsCommand({}),
      ),
    );
    expect(builtIn).toEqual({ name: "InvalidAccessKeyId", status: 403 });
  });

  it("refuses a clock 20 minutes off", async () => {
    const skewed = await errorOf(
      client({ systemClockOffset: -20 * 60 * 1000 }).send(new ListObjectsV2Command({ Bucket: "strata" })),
    );
    expect(skewed).toEqual({ name: "RequestTimeTooSkewed", status: 403 });
    const raw = await signedRawRequest({
      method: "GET",
      path: "/strata",
      signingDate: new Date(Date.now() + 20 * 60 * 1000),
    });
    expect(raw.status).toBe(403);
    expect(raw.body).toContain("<Code>RequestTimeTooSkewed</Code>");
  });

  it("refuses a body that does not match its signed hash, and keeps the stored object", async () => {
    await client().send(
      new PutObjectCommand({ Bucket: "strata", Key: "tamper/target.txt", Body: "original" }),
    );
    const url = new URL(s3.url);
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: "us-east-1",
      service: "s3",
      sha256: Sha256,
      uriEscapePath: false,
    });
    const signed = await signer.sign(
      {
        method: "PUT",
        protocol: "http:",
        hostname: url.hostname,
        path: "/strata/tamper/target.txt",
        headers: { host: url.host, "content-length": "8" },
        body: Buffer.from("replaced"),
      },
      { signingDate: new Date() },
    );
    const response = await rawRequest(
      "PUT",
      "/strata/tamper/target.txt",
      signed.headers,
      Buffer.from("tampered"),
    );
    expect(response.status).toBe(400);
    expect(response.body).toContain("XAmzContentSHA256Mismatch");
    const stored = await client().send(new GetObjectCommand({ Bucket: "strata", Key: "tamper/target.txt" }));
    expect(await stored.Body?.transformToString()).toBe("original");
  });

  it("verifies signed aws-chunked uploads chunk by chunk", async () => {
    const chunks = [Buffer.alloc(9000, "s"), Buffer.from("tail")];
    const upload = async (key: string, tamper: boolean) => {
      const url = new URL(s3.url);
      const signingDate = new Date();
      const encodedLength =
        chunks.reduce((total, chunk) => total + chunk.length.toString(16).length + 85 + chunk.length, 0) + 86;
      const signer = new SignatureV4({
        credentials: { accessKeyId, secretAccessKey },
        region: "us-east-1",
        service: "s3",
        sha256: Sha256,
        uriEscapePath: false,
      });
      const signed = await signer.sign(
        {
          method: "PUT",
          protocol: "http:",
          hostname: url.hostname,
          path: `/strata/${key}`,
          headers: {
            host: url.host,
            "content-encoding": "aws-chunked",
            "content-length": String(encodedLength),
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "x-amz-decoded-content-length": String(Buffer.concat(chunks).length),
          },
        },
        { signingDate },
      );
      const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? "")?.[1] ?? "";
      const amzDate = signed.headers["x-amz-date"] ?? "";
      const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const hmac = (hmacKey: Buffer | string, data: string) =>
        createHmac("sha256", hmacKey).update(data).digest();
      let signingKey = hmac(`AWS4${secretAccessKey}`, amzDate.slice(0, 8));
      for (const part of ["us-east-1", "s3", "aws4_request"]) signingKey = hmac(signingKey, part);
      const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
      let previous = seed;
      const framed: Buffer[] = [];
      for (const chunk of [...chunks, Buffer.alloc(0)]) {
        const stringToSign = [
          "AWS4-HMAC-SHA256-PAYLOAD",
          amzDate,
          scope,
          previous,
          sha256(Buffer.alloc(0)),
          sha256(chunk),
        ];
        previous = hmac(signingKey, stringToSign.join("\n")).toString("hex");
        const sent = tamper && chunk.length === 4 ? Buffer.from("TAIL") : chunk;
        framed.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
          sent,
          Buffer.from("\r\n"),
        );
      }
      const body = Buffer.concat(framed);
      expect(body.length).toBe(encodedLength);
      return rawRequest("PUT", `/strata/${key}`, signed.headers, body);
    };
    const accepted = await upload("signed/chunked.bin", false);
    expect(accepted.status).toBe(200);
    const stored = await client().send(new GetObjectCommand({ Bucket: "strata", Key: "signed/chunked.bin" }));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(chunks))).toBe(
      true,
    );
    const refused = await upload("signed/tampered.bin", true);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(
      await errorOf(client().send(new HeadObjectCommand({ Bucket: "strata", Key: "signed/tampered.bin" }))),
    ).toMatchObject({
      status: 404,
    });
  });

  it("refuses a body whose CRC32 does not match x-amz-checksum-crc32", async () => {
    const response = await signedRawRequest({
      method: "PUT",
      path: "/strata/checksums/wrong.txt",
      body: Buffer.from("hello"),
      headers: { "x-amz-checksum-crc32": "AAAAAA==", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain("<Code>BadDigest</Code>");
  });

  it("refuses keys that would leave the object directory", async () => {
    await writeFile(path.join(workDirectory, "victim._S3rver_object"), "do not touch");
    for (const rawPath of [
      "/strata/..%2F..%2Fvictim",
      "/strata/a%2F..%2F..%2F..%2Fescaped",
      "/strata/%2Fabsolute",
      "/strata/..%5C..%5Cwindows",
      "/strata/nul%00byte",
      "/..%2F..%2Fvictim/key",
      "/strata/%2e%2e/%2e%2e/victim",
    ]) {
      const response = await signedRawRequest({
        method: "PUT",
        path: rawPath,
        body: Buffer.from("escape attempt"),
      });
      expect(response.status, rawPath).toBe(400);
      expect(response.body, rawPath).toMatch(/InvalidArgument|InvalidBucketName/);
      const read = await signedRawRequest({ method: "GET", path: rawPath });
      expect(read.status, rawPath).toBe(400);
    }
    const copy = await signedRawRequest({
      method: "PUT",
      path: "/strata/copied",
      headers: { "x-amz-copy-source": "/strata/../../victim" },
    });
    expect(copy.status).toBe(400);
    // Keys inside an XML body never pass the request validation; the confined store refuses them instead.
    const deleteXml = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Delete><Object><Key>../../victim</Key></Object></Delete>',
    );
    const bulkDelete = await signedRawRequest({
      method: "POST",
      path: "/strata",
      query: { delete: "" },
      body: deleteXml,
    });
    expect(bulkDelete.status).toBe(400);
    expect(bulkDelete.body).toContain("Invalid object key");
    expect(await stat(path.join(workDirectory, "victim._S3rver_object"))).toBeTruthy();
    expect((await readdir(workDirectory)).sort()).toEqual(["objects", "victim._S3rver_object"]);
  });

  it("is path-style only: a bucket-looking Host header does not select a bucket", async () => {
    const response = await signedRawRequest({
      method: "GET",
      path: "/",
      headers: { host: "strata.s3.amazonaws.com" },
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain("<ListAllMyBucketsResult");
  });

  it("answers Expect: 100-continue only for verified requests, so refused uploads are never sent", async () => {
    const url = new URL(s3.url);
    const send = async (secret: string) => {
      const signer = new SignatureV4({
        credentials: { accessKeyId, secretAccessKey: secret },
        region: "us-east-1",
        service: "s3",
        sha256: Sha256,
        uriEscapePath: false,
      });
      const body = Buffer.from("sent after continue");
      const signed = await signer.sign(
        {
          method: "PUT",
          protocol: "http:",
          hostname: url.hostname,
          path: "/strata/continue/object.txt",
          headers: { host: url.host, "content-length": String(body.length), expect: "100-continue" },
          body,
        },
        { signingDate: new Date() },
      );
      return new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const outgoing = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: "PUT",
            path: "/strata/continue/object.txt",
            headers: signed.headers,
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve({ status: response.statusCode ?? 0, continued }));
          },
        );
        outgoing.on("continue", () => {
          continued = true;
          outgoing.end(body);
        });
        outgoing.on("error", reject);
        outgoing.flushHeaders();
      });
    };
    expect(await send("wrong-secret")).toEqual({ status: 403, continued: false });
    expect(await send(secretAccessKey)).toEqual({ status: 200, continued: true });
  });

  it("logs one structured entry per request without the query", async () => {
    const entry = logEntries.find((logged) => logged.status === 200 && logged.method === "GET");
    expect(entry).toMatchObject({ accessKeyId, path: expect.any(String), latencyMs: expect.any(Number) });
    expect(JSON.stringify(logEntries)).not.toContain("X-Amz-Signature");
    expect(JSON.stringify(logEntries)).not.toContain(secretAccessKey);
  });
});
