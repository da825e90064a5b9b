import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedS3, startEmbeddedS3 } from "../embedded-s3/start-embedded-s3.js";
import { InvalidObjectKeyError, ObjectNotFoundError } from "./object-store.js";
import { S3ObjectStore } from "./s3-object-store.js";

const credentials = {
  accessKeyId: "AKIAOBJECTSTORETEST1",
  secretAccessKey: "object-store-test-secret-0000000000000",
};
let directory: string;
let s3: EmbeddedS3;
let store: S3ObjectStore;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "strata-object-store-test-"));
  s3 = await startEmbeddedS3({
    host: "127.0.0.1",
    port: 0,
    directory,
    bucket: "strata",
    lookupAccessKey: (id) =>
      id === credentials.accessKeyId
        ? { secretAccessKey: credentials.secretAccessKey, status: "Active" }
        : undefined,
  });
  store = new S3ObjectStore({
    endpoint: s3.url,
    region: "us-east-1",
    credentials,
    forcePathStyle: true,
    bucket: "strata",
    multipartPartSizeBytes: 5 * 1024 * 1024,
  });
});

afterAll(async () => {
  store?.destroy();
  await s3?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("S3ObjectStore against the embedded endpoint", () => {
  it("round-trips bytes and streams, heads, lists with a prefix and deletes", async () => {
    await store.put("jobs/job-1/output.json", new TextEncoder().encode('{"ok":true}'), {
      contentType: "application/json",
    });
    await store.put("jobs/job-1/log.txt", Readable.from(["line 1\n", "line 2\n"]));
    await store.put("other/file.txt", new Uint8Array([1, 2, 3]));

    expect(new TextDecoder().decode(await store.getBytes("jobs/job-1/output.json"))).toBe('{"ok":true}');
    expect((await buffer(await store.get("jobs/job-1/log.txt"))).toString()).toBe("line 1\nline 2\n");

    const head = await store.head("other/file.txt");
    expect(head).toMatchObject({ size: 3, etag: expect.any(String), lastModified: expect.any(Date) });
    expect(await store.head("jobs/missing")).toBeUndefined();

    const listed: { key: string; size: number }[] = [];
    for await (const entry of store.list("jobs/job-1/")) listed.push(entry);
    expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "jobs/job-1/log.txt", size: 14 },
      { key: "jobs/job-1/output.json", size: 11 },
    ]);

    await store.delete("other/file.txt");
    await store.delete("other/file.txt");
    expect(await store.head("other/file.txt")).toBeUndefined();
  });

  it("uploads a stream longer than one part as a multipart upload", async () => {
    const part = Buffer.alloc(1024 * 1024);
    for (let index = 0; index < part.length; index += 1) part[index] = index % 253;
    const pieces = Array.from({ length: 11 }, () => part);
    await store.put("models/large.bin", Readable.from(pieces));
    const stored = await store.getBytes("models/large.bin");
    expect(stored.length).toBe(11 * part.length);
    expect(Buffer.from(stored).equals(Buffer.concat(pieces))).toBe(true);
  });

  it("throws ObjectNotFoundError for a missing object and InvalidObjectKeyError for an unsafe key", async () => {
    await expect(store.get("nothing/here")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.getBytes("nothing/here")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.put("../escape", new Uint8Array(1))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.getBytes("a/%2e%2e/b")).rejects.toThrow(/percent-encoded/);
  });
});
