// ObjectStore over the S3 API: the embedded endpoint or any S3-compatible service. Streams of unknown length
// go up as multipart uploads: S3 refuses a PutObject without a length, and the SDK refuses to send one.
import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import {
  InvalidObjectKeyError,
  type ObjectHead,
  ObjectNotFoundError,
  type ObjectStore,
  type ObjectSummary,
  type PutObjectOptions,
} from "./object-store.js";
import { validateObjectKey } from "./s3-uri.js";

export interface S3ObjectStoreOptions {
  endpoint?: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  forcePathStyle: boolean;
  bucket: string;
  /** Part size for streamed uploads; S3's minimum is 5 MiB. Default 8 MiB. */
  multipartPartSizeBytes?: number;
}

const minimumPartSizeBytes = 5 * 1024 * 1024;
const defaultPartSizeBytes = 8 * 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly partSizeBytes: number;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.partSizeBytes = Math.max(
      minimumPartSizeBytes,
      options.multipartPartSizeBytes ?? defaultPartSizeBytes,
    );
    this.client = new S3Client({
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    });
  }

  async put(key: string, body: Uint8Array | Readable, options: PutObjectOptions = {}): Promise<void> {
    checkKey(key);
    const contentType = options.contentType !== undefined ? { ContentType: options.contentType } : {};
    if (body instanceof Uint8Array) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ...contentType }),
      );
      return;
    }
    const parts = readParts(body, this.partSizeBytes);
    const first = await parts.next();
    const firstPart = first.done ? new Uint8Array(0) : first.value;
    if (firstPart.length < this.partSizeBytes) {
      // The whole stream fitted in one part: a plain PutObject with a known length.
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: firstPart, ...contentType }),
      );
      return;
    }
    await this.multipartUpload(key, firstPart, parts, contentType);
  }

  async get(key: string): Promise<Readable> {
    checkKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage with the SDK's helpers mixed in: a Readable.
      return response.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(this.bucket, key);
      throw error;
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    checkKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(this.bucket, key);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    checkKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: response.ContentLength ?? 0,
        ...(response.ETag !== undefined ? { etag: response.ETag } : {}),
        ...(response.LastModified !== undefined ? { lastModified: response.LastModified } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectSummary> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(continuationToken !== undefined ? { ContinuationToken: continuationToken } : {}),
        }),
      );
      for (const entry of page.Contents ?? []) {
        if (entry.Key !== undefined) yield { key: entry.Key, size: entry.Size ?? 0 };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  private async multipartUpload(
    key: string,
    firstPart: Uint8Array,
    remainingParts: AsyncGenerator<Uint8Array>,
    contentType: { ContentType?: string },
  ): Promise<void> {
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ...contentType }),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error("CreateMultipartUpload returned no UploadId");
    const completed: { ETag: string; PartNumber: number }[] = [];
    try {
      let part: Uint8Array | undefined = firstPart;
      while (part !== undefined) {
        const partNumber = completed.length + 1;
        const uploaded = await this.client.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: partNumber,
            Body: part,
          }),
        );
        completed.push({ ETag: uploaded.ETag ?? "", PartNumber: partNumber });
        const next = await remainingParts.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: completed },
        }),
      );
    } catch (error) {
      // Best effort: some S3-compatible servers (s3rver among them) do not implement the abort.
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }))
        .catch(() => undefined);
      throw error;
    }
  }
}

/** Re-chunks a stream into parts of exactly `partSize` bytes (the last one may be shorter). */
async function* readParts(stream: Readable, partSize: number): AsyncGenerator<Uint8Array> {
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  for await (const chunk of stream) {
    let bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
    while (bufferedBytes + bytes.length >= partSize) {
      const take = partSize - bufferedBytes;
      buffered.push(bytes.subarray(0, take));
      yield Buffer.concat(buffered);
      bytes = bytes.subarray(take);
      buffered = [];
      bufferedBytes = 0;
    }
    if (bytes.length > 0) {
      buffered.push(bytes);
      bufferedBytes += bytes.length;
    }
  }
  if (bufferedBytes > 0) yield Buffer.concat(buffered);
}

function checkKey(key: string): void {
  const validation = validateObjectKey(key);
  if (!validation.ok) throw new InvalidObjectKeyError(key, validation.reason);
}

function isNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const failure = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  // A missing bucket is a configuration problem, not a missing object.
  if (failure.name === "NoSuchBucket") return false;
  return (
    failure.name === "NoSuchKey" || failure.name === "NotFound" || failure.$metadata?.httpStatusCode === 404
  );
}
