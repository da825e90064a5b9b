import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createStreamingSigningContext } from "../../auth/sigv4/streaming-signature.js";
import { AwsChunkedDecoder } from "./aws-chunked-decoder.js";
import { createChecksumCalculator } from "./payload-checksum.js";
import { S3RequestError } from "./s3-request-error.js";

// The worked examples of AWS's "Signature Calculations for the Authorization Header: Transferring Payload
// in Multiple Chunks" pages: 66560 bytes of "a" in chunks of 65536 and 1024 bytes.
const exampleLookup = () => ({
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  status: "Active" as const,
});
function exampleContext(seedSignature: string) {
  const context = createStreamingSigningContext(
    {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${seedSignature}`,
      "x-amz-date": "20130524T000000Z",
    },
    exampleLookup,
  );
  if (!context) throw new Error("no signing context");
  return context;
}

const firstChunk = Buffer.alloc(65536, "a");
const secondChunk = Buffer.alloc(1024, "a");

function signedBody(signatures: [string, string, string], trailer = ""): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    firstChunk,
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    secondChunk,
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n${trailer}\r\n`),
  ]);
}

async function decode(body: Buffer, decoder: AwsChunkedDecoder, pieceSize = 1000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += pieceSize)
    pieces.push(body.subarray(offset, offset + pieceSize));
  return buffer(Readable.from(pieces).pipe(decoder));
}

async function decodeError(body: Buffer, decoder: AwsChunkedDecoder): Promise<S3RequestError> {
  const error = await decode(body, decoder).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof S3RequestError)) throw new Error(`expected an S3RequestError, got ${String(error)}`);
  return error;
}

describe("AwsChunkedDecoder", () => {
  const payloadSignatures: [string, string, string] = [
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
  ];
  const payloadSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

  it("verifies AWS's STREAMING-AWS4-HMAC-SHA256-PAYLOAD example, whatever the read boundaries", async () => {
    for (const pieceSize of [1, 7, 1000, 100_000]) {
      const decoded = await decode(
        signedBody(payloadSignatures),
        new AwsChunkedDecoder({ signing: exampleContext(payloadSeed) }),
        pieceSize,
      );
      expect(decoded.equals(Buffer.concat([firstChunk, secondChunk])), `pieces of ${pieceSize}`).toBe(true);
    }
  });

  it("refuses a changed byte, a wrong seed and a missing chunk signature", async () => {
    const tampered = signedBody(payloadSignatures);
    tampered[200] = 0x62;
    expect(
      (await decodeError(tampered, new AwsChunkedDecoder({ signing: exampleContext(payloadSeed) }))).code,
    ).toBe("SignatureDoesNotMatch");
    const otherSeed = "0".repeat(64);
    expect(
      (
        await decodeError(
          signedBody(payloadSignatures),
          new AwsChunkedDecoder({ signing: exampleContext(otherSeed) }),
        )
      ).code,
    ).toBe("SignatureDoesNotMatch");
    const unsigned = Buffer.from("3\r\nabc\r\n0\r\n\r\n");
    expect(
      (await decodeError(unsigned, new AwsChunkedDecoder({ signing: exampleContext(payloadSeed) }))).code,
    ).toBe("SignatureDoesNotMatch");
  });

  it("verifies AWS's STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER example", async () => {
    const signatures: [string, string, string] = [
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ];
    const context = exampleContext("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
    const trailer =
      "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
    const decoder = new AwsChunkedDecoder({ signing: context, signedTrailer: true });
    await decode(signedBody(signatures, trailer), decoder);
    expect(decoder.trailers.get("x-amz-checksum-crc32c")).toBe("sOO8/Q==");

    const forgedTrailer = trailer.replace("sOO8/Q==", "AAAAAA==");
    const forged = new AwsChunkedDecoder({ signing: context, signedTrailer: true });
    expect((await decodeError(signedBody(signatures, forgedTrailer), forged)).code).toBe(
      "SignatureDoesNotMatch",
    );
    const unsignedTrailer = new AwsChunkedDecoder({ signing: context, signedTrailer: true });
    expect(
      (await decodeError(signedBody(signatures, "x-amz-checksum-crc32c:sOO8/Q==\r\n"), unsignedTrailer)).code,
    ).toBe("SignatureDoesNotMatch");
  });

  it("decodes the SDK's STREAMING-UNSIGNED-PAYLOAD-TRAILER framing", async () => {
    const decoder = new AwsChunkedDecoder();
    const decoded = await decode(
      Buffer.from("3\r\nabc\r\n5\r\ndefgh\r\n0\r\nx-amz-checksum-crc32:ru8qUA==\r\n\r\n"),
      decoder,
      4,
    );
    expect(decoded.toString()).toBe("abcdefgh");
    expect(decoder.trailers.get("x-amz-checksum-crc32")).toBe("ru8qUA==");
  });

  it("refuses truncated and malformed framing", async () => {
    for (const body of [
      "3\r\nabc\r\n",
      "3\r\nabcX\r\n0\r\n\r\n",
      "zz\r\nabc\r\n0\r\n\r\n",
      "3\r\nabc\r\n0\r\n\r\nextra",
    ]) {
      const error = await decodeError(Buffer.from(body), new AwsChunkedDecoder());
      expect(["IncompleteBody", "InvalidRequest"], JSON.stringify(body)).toContain(error.code);
    }
    const endless = Buffer.alloc(10_000, "1");
    expect((await decodeError(endless, new AwsChunkedDecoder())).code).toBe("InvalidRequest");
  });
});

describe("payload checksums", () => {
  it("computes CRC32 and CRC32C as S3 encodes them", () => {
    const crc32 = createChecksumCalculator("crc32");
    crc32.update(Buffer.from("abc"));
    crc32.update(Buffer.from("defgh"));
    expect(crc32.digest()).toBe("ru8qUA==");
    const crc32c = createChecksumCalculator("crc32c");
    crc32c.update(firstChunk);
    crc32c.update(secondChunk);
    expect(crc32c.digest()).toBe("sOO8/Q==");
    const md5 = createChecksumCalculator("md5");
    md5.update(Buffer.from("hello"));
    expect(md5.digest()).toBe("XUFAKrxLKna5cZ2REBfFkg==");
  });
});
