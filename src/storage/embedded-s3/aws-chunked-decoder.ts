// Decodes S3's aws-chunked body framing (Content-Encoding: aws-chunked):
//
//   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer name>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
//
// With a signing context every chunk signature is checked (each chains to the previous one), and so is the
// trailer signature when one is expected. The decoded bytes flow on as they arrive; whoever consumes them
// must not commit anything until the stream has ended without error.
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import {
  chunkSignature,
  hexSignaturesEqual,
  type StreamingSigningContext,
  trailerSignature,
} from "../../auth/sigv4/streaming-signature.js";
import { S3RequestError } from "./s3-request-error.js";

export interface AwsChunkedDecoderOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: chunk signatures are then required. */
  signing?: StreamingSigningContext;
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the trailer must end with a valid x-amz-trailer-signature. */
  signedTrailer?: boolean;
}

type State = "size-line" | "data" | "data-end" | "trailer" | "done";

const maxLineBytes = 4096;
const maxTrailerLines = 16;
const carriageReturnLineFeed = Buffer.from("\r\n");

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers by lower-case name, complete once the stream has finished. */
  readonly trailers = new Map<string, string>();
  private state: State = "size-line";
  private pending: Buffer = Buffer.alloc(0);
  private remainingInChunk = 0;
  private chunkHash: Hash | undefined;
  private announcedSignature = "";
  private previousSignature: string;
  private trailerText = "";
  private trailerLines = 0;
  private trailerSignatureVerified = false;

  constructor(private readonly options: AwsChunkedDecoderOptions = {}) {
    super();
    this.previousSignature = options.signing?.seedSignature ?? "";
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.consume();
      callback();
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== "done") {
      callback(
        new S3RequestError(
          "IncompleteBody",
          400,
          "The request body ended before the last aws-chunked chunk.",
        ),
      );
      return;
    }
    callback();
  }

  private consume(): void {
    while (this.pending.length > 0) {
      switch (this.state) {
        case "size-line": {
          const line = this.takeLine();
          if (line === undefined) return;
          this.startChunk(line);
          break;
        }
        case "data": {
          const take = Math.min(this.remainingInChunk, this.pending.length);
          const bytes = this.pending.subarray(0, take);
          this.pending = this.pending.subarray(take);
          this.remainingInChunk -= take;
          this.chunkHash?.update(bytes);
          this.push(bytes);
          if (this.remainingInChunk === 0) this.state = "data-end";
          break;
        }
        case "data-end": {
          if (this.pending.length < 2) return;
          if (!this.pending.subarray(0, 2).equals(carriageReturnLineFeed))
            throw malformed("chunk data is not followed by CRLF");
          this.pending = this.pending.subarray(2);
          this.endChunk();
          this.state = "size-line";
          break;
        }
        case "trailer": {
          const line = this.takeLine();
          if (line === undefined) return;
          this.readTrailerLine(line);
          break;
        }
        case "done":
          throw malformed("data follows the final aws-chunked chunk");
      }
    }
  }

  private takeLine(): string | undefined {
    const end = this.pending.indexOf(carriageReturnLineFeed);
    if (end === -1) {
      if (this.pending.length > maxLineBytes) throw malformed("a chunk header or trailer line is too long");
      return undefined;
    }
    if (end > maxLineBytes) throw malformed("a chunk header or trailer line is too long");
    const line = this.pending.subarray(0, end).toString("latin1");
    this.pending = this.pending.subarray(end + 2);
    return line;
  }

  private startChunk(line: string): void {
    const match = /^([0-9a-fA-F]{1,13})(?:;chunk-signature=([0-9a-fA-F]{64}))?$/.exec(line);
    if (!match?.[1]) throw malformed("invalid chunk header");
    const size = Number.parseInt(match[1], 16);
    const signature = match[2];
    if (this.options.signing && signature === undefined) {
      throw new S3RequestError(
        "SignatureDoesNotMatch",
        403,
        "A chunk of a signed aws-chunked upload has no signature.",
      );
    }
    this.announcedSignature = signature ?? "";
    this.chunkHash = this.options.signing ? createHash("sha256") : undefined;
    this.remainingInChunk = size;
    if (size > 0) {
      this.state = "data";
      return;
    }
    // The final, empty chunk is signed like any other and carries no data and no trailing CRLF of its own.
    this.endChunk();
    this.state = "trailer";
  }

  private endChunk(): void {
    const signing = this.options.signing;
    if (!signing || !this.chunkHash) return;
    const expected = chunkSignature(signing, this.previousSignature, this.chunkHash.digest("hex"));
    if (!hexSignaturesEqual(expected, this.announcedSignature)) {
      throw new S3RequestError(
        "SignatureDoesNotMatch",
        403,
        "The chunk signature we calculated does not match the signature you provided.",
      );
    }
    this.previousSignature = this.announcedSignature.toLowerCase();
  }

  private readTrailerLine(line: string): void {
    if (line === "") {
      if (this.options.signedTrailer && !this.trailerSignatureVerified) {
        throw new S3RequestError(
          "SignatureDoesNotMatch",
          403,
          "The trailer of a signed upload has no signature.",
        );
      }
      this.state = "done";
      return;
    }
    if (this.trailerSignatureVerified) throw malformed("trailing headers follow the trailer signature");
    this.trailerLines += 1;
    if (this.trailerLines > maxTrailerLines) throw malformed("too many trailing headers");
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("invalid trailing header");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name !== "x-amz-trailer-signature") {
      this.trailers.set(name, value);
      this.trailerText += `${name}:${value}\n`;
      return;
    }
    const signing = this.options.signing;
    if (!signing) throw malformed("a trailer signature in an unsigned upload");
    const expected = trailerSignature(signing, this.previousSignature, this.trailerText);
    if (!hexSignaturesEqual(expected, value)) {
      throw new S3RequestError(
        "SignatureDoesNotMatch",
        403,
        "The trailer signature we calculated does not match the signature you provided.",
      );
    }
    this.trailerSignatureVerified = true;
  }
}

function malformed(what: string): S3RequestError {
  return new S3RequestError("InvalidRequest", 400, `Malformed aws-chunked body: ${what}.`);
}
