// Second line of defence behind validateS3RequestTarget: s3rver also takes keys from places the request
// validation does not see (the XML body of a multi-object delete, a completed multipart upload), and every
// one of them becomes a file path through these few store methods. Each path is checked to stay inside its
// bucket directory before any file is touched.
import path from "node:path";
import { validateBucketName, validateObjectKey } from "../object-store/s3-uri.js";
import { type FilesystemStore, S3Error } from "./s3rver-module.js";
import { isUploadId } from "./validate-s3-request-target.js";

export function confineFilesystemStore(store: FilesystemStore): void {
  const root = path.resolve(store.rootDirectory);
  const original = {
    getBucketPath: store.getBucketPath.bind(store),
    getResourcePath: store.getResourcePath.bind(store),
    getBucket: store.getBucket.bind(store),
    initiateUpload: store.initiateUpload.bind(store),
    putPart: store.putPart.bind(store),
    putObjectMultipart: store.putObjectMultipart.bind(store),
  };

  store.getBucketPath = (bucket) => {
    assertBucketName(bucket);
    return assertInside(root, original.getBucketPath(bucket));
  };
  store.getResourcePath = (bucket, key, resource) => {
    assertBucketName(bucket);
    if (key !== undefined && key !== "") assertObjectKey(key);
    return assertInside(path.join(root, bucket), original.getResourcePath(bucket, key, resource));
  };
  // ListBuckets reads every directory entry as a bucket name; anything else in the directory is not one.
  store.getBucket = (bucket) =>
    validateBucketName(String(bucket)).ok ? original.getBucket(bucket) : Promise.resolve(null);
  store.initiateUpload = (bucket, key, uploadId, metadata) => {
    assertObjectKey(key);
    return original.initiateUpload(bucket, key, assertUploadId(uploadId), metadata);
  };
  store.putPart = (bucket, uploadId, partNumber, content) =>
    original.putPart(bucket, assertUploadId(uploadId), partNumber, content);
  store.putObjectMultipart = (bucket, uploadId, parts) =>
    original.putObjectMultipart(bucket, assertUploadId(uploadId), parts);
}

function assertBucketName(bucket: unknown): void {
  const validation = validateBucketName(String(bucket));
  if (!validation.ok) throw new S3Error("InvalidBucketName", validation.reason);
}

function assertObjectKey(key: unknown): void {
  const validation = validateObjectKey(String(key));
  if (!validation.ok) throw new S3Error("InvalidArgument", `Invalid object key: ${validation.reason}`);
}

function assertUploadId(uploadId: unknown): string {
  if (typeof uploadId !== "string" || !isUploadId(uploadId)) {
    throw new S3Error("NoSuchUpload", "The specified upload does not exist.");
  }
  return uploadId;
}

function assertInside(directory: string, candidate: string): string {
  const relative = path.relative(directory, path.resolve(candidate));
  const escapes = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (relative === "" || escapes) {
    throw new S3Error("InvalidArgument", "The request addresses a location outside the object store.");
  }
  return candidate;
}
