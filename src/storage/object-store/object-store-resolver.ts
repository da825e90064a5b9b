// Resolves s3://bucket/key URIs through whichever S3 endpoint is configured (the embedded one by default),
// one ObjectStore per bucket. Keys with path tricks are refused before any request is made.
import { ValidationException } from "../../protocol/aws-errors.js";
import type { ObjectStore } from "./object-store.js";
import { S3ObjectStore, type S3ObjectStoreOptions } from "./s3-object-store.js";
import { parseS3Uri } from "./s3-uri.js";

export interface ResolvedObject {
  store: ObjectStore;
  bucket: string;
  key: string;
}

export class ObjectStoreResolver {
  private readonly stores = new Map<string, S3ObjectStore>();

  constructor(
    private readonly connection: Omit<S3ObjectStoreOptions, "bucket">,
    /** The bucket Strata writes its own artifacts to. */
    readonly defaultBucket: string,
  ) {}

  forBucket(bucket: string): ObjectStore {
    let store = this.stores.get(bucket);
    if (!store) {
      store = new S3ObjectStore({ ...this.connection, bucket });
      this.stores.set(bucket, store);
    }
    return store;
  }

  get defaultStore(): ObjectStore {
    return this.forBucket(this.defaultBucket);
  }

  /** Parses an s3:// URI; a malformed one is a ValidationException that names the field and the reason. */
  resolve(uri: string, fieldName: string): ResolvedObject {
    const parsed = parseS3Uri(uri);
    if (!parsed.ok)
      throw new ValidationException(`${fieldName} ${uri} is not a usable S3 URI: ${parsed.reason}`);
    return { store: this.forBucket(parsed.bucket), bucket: parsed.bucket, key: parsed.key };
  }

  destroy(): void {
    for (const store of this.stores.values()) store.destroy();
    this.stores.clear();
  }
}
