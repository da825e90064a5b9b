// The narrow object-storage surface the rest of Strata uses (datasets, model artifacts, job outputs), bound to
// one bucket so callers deal in keys only.
import type { Readable } from "node:stream";

export interface ObjectSummary {
  key: string;
  size: number;
}

export interface ObjectHead {
  size: number;
  etag?: string;
  lastModified?: Date;
}

export interface PutObjectOptions {
  contentType?: string;
}

export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: Uint8Array | Readable, options?: PutObjectOptions): Promise<void>;
  /** Throws ObjectNotFoundError when there is no such object. */
  get(key: string): Promise<Readable>;
  /** Throws ObjectNotFoundError when there is no such object. */
  getBytes(key: string): Promise<Uint8Array>;
  /** undefined when there is no such object. */
  head(key: string): Promise<ObjectHead | undefined>;
  list(prefix: string): AsyncIterable<ObjectSummary>;
  /** Deleting a missing object is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`No object s3://${bucket}/${key}`);
    this.name = "ObjectNotFoundError";
  }
}

/** A key refused by validateObjectKey before any request was made. */
export class InvalidObjectKeyError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "InvalidObjectKeyError";
  }
}
