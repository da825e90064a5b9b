import { describe, expect, it } from "vitest";
import { parseS3Uri, validateBucketName, validateObjectKey } from "./s3-uri.js";

describe("parseS3Uri", () => {
  it("accepts ordinary URIs", () => {
    expect(parseS3Uri("s3://strata/datasets/train.jsonl")).toEqual({
      ok: true,
      bucket: "strata",
      key: "datasets/train.jsonl",
    });
    expect(parseS3Uri("s3://my.bucket-01/a b/ü/100%.csv")).toEqual({
      ok: true,
      bucket: "my.bucket-01",
      key: "a b/ü/100%.csv",
    });
    expect(parseS3Uri("s3://strata/dir/")).toEqual({ ok: true, bucket: "strata", key: "dir/" });
    expect(parseS3Uri("s3://strata/..a/b..")).toEqual({ ok: true, bucket: "strata", key: "..a/b.." });
  });

  const refused: [string, RegExp][] = [
    ["https://strata/key", /must start with s3:\/\//],
    ["S3://strata/key", /must start with s3:\/\//],
    ["s3://strata", /no object key/],
    ["s3://strata/", /no object key/],
    ["s3://ab/key", /3 to 63 characters/],
    [`s3://${"a".repeat(64)}/key`, /3 to 63 characters/],
    ["s3://Strata/key", /lower-case letters, digits, dots and hyphens/],
    ["s3://my_bucket/key", /lower-case letters, digits, dots and hyphens/],
    ["s3://-strata/key", /begin and end with a letter or digit/],
    ["s3://strata./key", /begin and end with a letter or digit/],
    ["s3://my..bucket/key", /two adjacent dots/],
    ["s3://192.168.1.10/key", /IP address/],
    ["s3://xn--strata/key", /reserved prefix "xn--"/],
    ["s3://strata-s3alias/key", /reserved suffix "-s3alias"/],
    ["s3://strata/../etc/passwd", /"\.\." path segment/],
    ["s3://strata/a/../../b", /"\.\." path segment/],
    ["s3://strata/a/..", /"\.\." path segment/],
    ["s3://strata/./a", /"\." path segment/],
    ["s3://strata//etc/passwd", /must not start with a "\/"/],
    ["s3://strata/\\etc", /must not start with a "\\"/],
    ["s3://strata/a\\..\\b", /"\.\." path segment/],
    ["s3://strata/..\\b", /"\.\." path segment/],
    ["s3://strata/a\u0000b", /NUL character \(U\+0000\)/],
    ["s3://strata/a\nb", /control character \(U\+000A\)/],
    ["s3://strata/a\u001fb", /control character \(U\+001F\)/],
    ["s3://strata/a\u007fb", /control character \(U\+007F\)/],
    ["s3://strata/%2e%2e/secret", /percent-encoded "\.\." path segment/],
    ["s3://strata/a/%2E%2E%2Fb", /percent-encoded "\.\." path segment/],
    ["s3://strata/..%2fb", /percent-encoded "\.\." path segment/],
    ["s3://strata/..%5cb", /percent-encoded "\.\." path segment/],
    ["s3://strata/%252e%252e/b", /percent-encoded "\.\." path segment/],
    ["s3://strata/a%00b", /percent-encoded NUL character/],
    ["s3://strata/a%0Ab", /percent-encoded control character \(U\+000A\)/],
    ["s3://strata/%2Fetc", /percent-encoded "\/"/],
  ];

  for (const [uri, reason] of refused) {
    it(`refuses ${JSON.stringify(uri)}`, () => {
      const result = parseS3Uri(uri);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }

  it("shows control characters escaped in reasons", () => {
    const result = parseS3Uri("s3://bad\u0001bucket/key");
    expect(result).toEqual({
      ok: false,
      reason: 'bucket name "bad\\u0001bucket" may contain only lower-case letters, digits, dots and hyphens',
    });
  });
});

describe("validateObjectKey", () => {
  it("applies the same rules to bare keys", () => {
    expect(validateObjectKey("models/llama/weights.safetensors")).toEqual({ ok: true });
    expect(validateObjectKey("")).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) });
    expect(validateObjectKey("x".repeat(1025))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/1024 bytes/),
    });
    expect(validateObjectKey("../x")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/"\.\." path segment/),
    });
    expect(validateObjectKey("/x")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/start with a "\/"/),
    });
    expect(validateObjectKey("%2e%2e/x")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/percent-encoded/),
    });
  });
});

describe("validateBucketName", () => {
  it("accepts S3-valid names", () => {
    for (const name of ["abc", "strata", "my-bucket.v2", "a".repeat(63), "123bucket"]) {
      expect(validateBucketName(name), name).toEqual({ ok: true });
    }
  });
});
