// Path-style only: /<bucket>/<key>. s3rver turns bucket and key into file paths and the multipart upload id
// and part number into file names, trusting all of them, so everything that reaches it is checked here
// first. (confineFilesystemStore guards the same paths again inside the store.)
import type { IncomingHttpHeaders } from "node:http";
import type { QueryParameter } from "../../auth/sigv4/parse-raw-query.js";
import { validateBucketName, validateObjectKey } from "../object-store/s3-uri.js";
import { S3RequestError } from "./s3-request-error.js";

export interface S3RequestTarget {
  bucket?: string;
  key?: string;
}

export function validateS3RequestTarget(
  rawPath: string,
  query: readonly QueryParameter[],
  headers: IncomingHttpHeaders,
): S3RequestTarget {
  if (!rawPath.startsWith("/")) throw invalidUri();
  const slash = rawPath.indexOf("/", 1);
  const rawBucket = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const rawKey = slash === -1 ? "" : rawPath.slice(slash + 1);
  const target: S3RequestTarget = {};
  if (rawBucket !== "") {
    target.bucket = checkBucket(decodePathPart(rawBucket));
  } else if (rawKey !== "") {
    throw invalidUri();
  }
  if (rawKey !== "") target.key = checkKey(decodePathPart(rawKey));

  const seen = new Set<string>();
  for (const { name } of query) {
    // s3rver reads every parameter as a single string; a repeated one would reach it as an array.
    if (seen.has(name)) {
      throw new S3RequestError("InvalidArgument", 400, `Query parameter '${name}' must not be repeated.`, {
        ArgumentName: name,
      });
    }
    seen.add(name);
  }
  const uploadId = query.find((parameter) => parameter.name === "uploadId")?.value;
  if (uploadId !== undefined && !isUploadId(uploadId)) {
    throw new S3RequestError(
      "NoSuchUpload",
      404,
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    );
  }
  const partNumber = query.find((parameter) => parameter.name === "partNumber")?.value;
  if (partNumber !== undefined && !isPartNumber(partNumber)) {
    throw new S3RequestError(
      "InvalidArgument",
      400,
      "Part number must be an integer between 1 and 10000, inclusive",
      {
        ArgumentName: "partNumber",
      },
    );
  }

  const copySource = headers["x-amz-copy-source"];
  if (copySource !== undefined)
    checkCopySource(Array.isArray(copySource) ? copySource.join(",") : copySource);
  return target;
}

export function isUploadId(value: string): boolean {
  // s3rver creates upload ids as 16 random bytes in hex.
  return /^[0-9a-f]{32}$/.test(value);
}

export function isPartNumber(value: string): boolean {
  return /^[1-9]\d{0,4}$/.test(value) && Number(value) <= 10_000;
}

function checkBucket(bucket: string): string {
  const validation = validateBucketName(bucket);
  if (!validation.ok)
    throw new S3RequestError("InvalidBucketName", 400, validation.reason, { BucketName: bucket });
  return bucket;
}

function checkKey(key: string): string {
  const validation = validateObjectKey(key);
  if (!validation.ok) {
    throw new S3RequestError("InvalidArgument", 400, `Invalid object key: ${validation.reason}`, {
      ArgumentName: "key",
    });
  }
  return key;
}

/** Mirrors s3rver's own parsing of the header (decodeURI, one optional leading "/", split at the first "/"). */
function checkCopySource(copySource: string): void {
  let decoded: string;
  try {
    decoded = decodeURI(copySource);
  } catch {
    throw new S3RequestError("InvalidArgument", 400, "Copy Source must mention the source bucket and key", {
      ArgumentName: "x-amz-copy-source",
    });
  }
  const withoutSlash = decoded.startsWith("/") ? decoded.slice(1) : decoded;
  const slash = withoutSlash.indexOf("/");
  if (slash <= 0) {
    throw new S3RequestError("InvalidArgument", 400, "Copy Source must mention the source bucket and key", {
      ArgumentName: "x-amz-copy-source",
    });
  }
  checkBucket(withoutSlash.slice(0, slash));
  checkKey(withoutSlash.slice(slash + 1));
}

/** The router decodes path parameters with decodeURIComponent; malformed escapes are refused, not guessed. */
function decodePathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidUri();
  }
}

function invalidUri(): S3RequestError {
  return new S3RequestError("InvalidURI", 400, "Couldn't parse the specified URI.");
}
