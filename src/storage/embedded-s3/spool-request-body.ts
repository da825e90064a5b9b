// s3rver writes a request body straight into the object file and never checks it, so a body whose integrity
// the client claimed (a signed payload hash, signed chunks, a checksum) is first written to a spool file,
// decoded from aws-chunked where needed, and verified. Only a verified body is handed to s3rver; a body that
// fails never touches the store, and an existing object stays as it was.
import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { headerValue } from "../../auth/sigv4/header-value.js";
import {
  createStreamingSigningContext,
  type StreamingSigningContext,
} from "../../auth/sigv4/streaming-signature.js";
import type { AccessKeyLookup } from "../../auth/sigv4/verify-signature.js";
import { AwsChunkedDecoder } from "./aws-chunked-decoder.js";
import {
  type ChecksumAlgorithm,
  type ChecksumCalculator,
  checksumAlgorithmForHeader,
  createChecksumCalculator,
} from "./payload-checksum.js";
import { S3RequestError } from "./s3-request-error.js";

export interface BodyPlan {
  chunked?: { signing?: StreamingSigningContext; signedTrailer: boolean; decodedLength?: number };
  /** Lower-case hex from x-amz-content-sha256. */
  expectedSha256?: string;
  /** Base64 values from x-amz-checksum-* and Content-MD5 headers. */
  headerChecksums: Map<ChecksumAlgorithm, { headerName: string; value: string }>;
  /** x-amz-checksum-* names announced in x-amz-trailer. */
  trailerChecksums: string[];
}

const sha256Pattern = /^[0-9a-fA-F]{64}$/;

export function planRequestBody(headers: IncomingHttpHeaders, lookup: AccessKeyLookup): BodyPlan {
  const plan: BodyPlan = { headerChecksums: new Map(), trailerChecksums: [] };
  const payloadHash = headerValue(headers, "x-amz-content-sha256");
  const contentEncoding = headerValue(headers, "content-encoding") ?? "";
  const awsChunked = contentEncoding.split(",").some((token) => token.trim().toLowerCase() === "aws-chunked");

  if (payloadHash?.startsWith("STREAMING-")) {
    plan.chunked = chunkedPlan(payloadHash, headers, lookup);
  } else if (awsChunked) {
    throw new S3RequestError(
      "InvalidArgument",
      400,
      "Content-Encoding aws-chunked requires a STREAMING-* x-amz-content-sha256 value.",
      { ArgumentName: "x-amz-content-sha256" },
    );
  } else if (payloadHash !== undefined && payloadHash !== "UNSIGNED-PAYLOAD") {
    if (!sha256Pattern.test(payloadHash)) {
      throw new S3RequestError(
        "InvalidArgument",
        400,
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or a valid sha256 value.",
        { ArgumentName: "x-amz-content-sha256" },
      );
    }
    plan.expectedSha256 = payloadHash.toLowerCase();
  }

  for (const name of Object.keys(headers)) {
    const algorithm = checksumAlgorithmForHeader(name);
    const value = headerValue(headers, name);
    if (algorithm && value !== undefined) plan.headerChecksums.set(algorithm, { headerName: name, value });
  }
  const trailer = headerValue(headers, "x-amz-trailer");
  if (trailer !== undefined) {
    if (!plan.chunked) {
      throw new S3RequestError(
        "InvalidRequest",
        400,
        "x-amz-trailer is only valid with an aws-chunked body.",
      );
    }
    plan.trailerChecksums = trailer
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== "");
  }
  return plan;
}

function chunkedPlan(
  payloadHash: string,
  headers: IncomingHttpHeaders,
  lookup: AccessKeyLookup,
): NonNullable<BodyPlan["chunked"]> {
  const decodedLengthText = headerValue(headers, "x-amz-decoded-content-length");
  const decodedLength =
    decodedLengthText !== undefined && /^\d+$/.test(decodedLengthText)
      ? Number(decodedLengthText)
      : undefined;
  if (decodedLengthText !== undefined && decodedLength === undefined) {
    throw new S3RequestError(
      "InvalidArgument",
      400,
      "x-amz-decoded-content-length must be a number of bytes.",
      {
        ArgumentName: "x-amz-decoded-content-length",
      },
    );
  }
  const base = decodedLength === undefined ? {} : { decodedLength };
  switch (payloadHash) {
    case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
      return { ...base, signedTrailer: false };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": {
      const signing = createStreamingSigningContext(headers, lookup);
      if (!signing) {
        throw new S3RequestError(
          "AccessDenied",
          403,
          "Signed aws-chunked uploads require an Authorization header with an active access key.",
        );
      }
      return { ...base, signing, signedTrailer: payloadHash.endsWith("-TRAILER") };
    }
    default:
      throw new S3RequestError(
        "NotImplemented",
        501,
        `x-amz-content-sha256 ${payloadHash} is not supported.`,
      );
  }
}

export function needsSpooling(plan: BodyPlan): boolean {
  return (
    plan.chunked !== undefined ||
    plan.expectedSha256 !== undefined ||
    plan.headerChecksums.size > 0 ||
    plan.trailerChecksums.length > 0
  );
}

/** Writes the decoded body to `filePath` and verifies it; throws S3RequestError when it does not hold. */
export async function spoolRequestBody(
  body: Readable,
  plan: BodyPlan,
  filePath: string,
): Promise<{ size: number }> {
  const meter = new BodyMeter(plan);
  const decoder = plan.chunked
    ? new AwsChunkedDecoder({
        ...(plan.chunked.signing ? { signing: plan.chunked.signing } : {}),
        signedTrailer: plan.chunked.signedTrailer,
      })
    : undefined;
  const output = createWriteStream(filePath, { flags: "wx", mode: 0o600 });
  const first = decoder ?? meter;
  // The request is piped by hand rather than put into pipeline(): pipeline() would destroy it on a
  // verification error, and with it the socket the error response still has to go out on.
  const forwardFailure = (error?: Error) => {
    if (!body.readableEnded) first.destroy(error ?? new Error("The request body ended early."));
  };
  body.once("error", forwardFailure);
  body.once("close", forwardFailure);
  body.pipe(first);
  try {
    if (decoder) await pipeline(decoder, meter, output);
    else await pipeline(meter, output);
  } catch (error) {
    body.unpipe(first);
    if (error instanceof S3RequestError) throw error;
    throw new S3RequestError("IncompleteBody", 400, "The request body could not be read completely.");
  } finally {
    body.off("error", forwardFailure);
    body.off("close", forwardFailure);
  }

  if (plan.chunked?.decodedLength !== undefined && plan.chunked.decodedLength !== meter.size) {
    throw new S3RequestError(
      "IncompleteBody",
      400,
      "You did not provide the number of bytes specified by the x-amz-decoded-content-length header.",
    );
  }
  if (plan.expectedSha256 !== undefined && meter.sha256Hex() !== plan.expectedSha256) {
    throw new S3RequestError(
      "XAmzContentSHA256Mismatch",
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  for (const [algorithm, { headerName, value }] of plan.headerChecksums) {
    if (meter.checksum(algorithm) !== value) throw badDigest(headerName);
  }
  for (const name of plan.trailerChecksums) {
    const algorithm = checksumAlgorithmForHeader(name);
    const value = decoder?.trailers.get(name);
    if (value === undefined) {
      throw new S3RequestError(
        "MalformedTrailerError",
        400,
        `The trailing header ${name} announced in x-amz-trailer is missing.`,
      );
    }
    if (algorithm && meter.checksum(algorithm) !== value) throw badDigest(name);
  }
  return { size: meter.size };
}

function badDigest(headerName: string): S3RequestError {
  const what =
    headerName === "content-md5" ? "Content-MD5" : headerName.replace("x-amz-checksum-", "").toUpperCase();
  return new S3RequestError(
    "BadDigest",
    400,
    `The ${what} you specified did not match the calculated checksum.`,
  );
}

/** Counts and digests the decoded bytes on their way to the spool file. */
class BodyMeter extends Transform {
  size = 0;
  private readonly sha256: Hash | undefined;
  private readonly calculators = new Map<ChecksumAlgorithm, ChecksumCalculator>();
  private readonly digests = new Map<ChecksumAlgorithm, string>();

  constructor(plan: BodyPlan) {
    super();
    this.sha256 = plan.expectedSha256 !== undefined ? createHash("sha256") : undefined;
    const algorithms = new Set<ChecksumAlgorithm>(plan.headerChecksums.keys());
    for (const name of plan.trailerChecksums) {
      const algorithm = checksumAlgorithmForHeader(name);
      if (algorithm) algorithms.add(algorithm);
    }
    for (const algorithm of algorithms) this.calculators.set(algorithm, createChecksumCalculator(algorithm));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.sha256?.update(chunk);
    for (const calculator of this.calculators.values()) calculator.update(chunk);
    callback(null, chunk);
  }

  sha256Hex(): string {
    return this.sha256?.digest("hex") ?? "";
  }

  checksum(algorithm: ChecksumAlgorithm): string | undefined {
    const cached = this.digests.get(algorithm);
    if (cached !== undefined) return cached;
    const digest = this.calculators.get(algorithm)?.digest();
    if (digest !== undefined) this.digests.set(algorithm, digest);
    return digest;
  }
}
