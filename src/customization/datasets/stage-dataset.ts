// A job's local copy of one dataset, hashed while it is copied: the trainer reads the copy (so a resumed job
// trains on exactly the bytes its checkpoint was made from, whatever happens to the S3 object), and the
// sha256 goes into the custom model's lineage. The copy is written to .partial and renamed, then its digest.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { openDatasetStream } from "./dataset-lines.js";

export interface StagedDataset {
  s3Uri: string;
  path: string;
  sha256: string;
  bytes: number;
}

export async function stageDataset(
  s3Uri: string,
  path: string,
  objectStores: ObjectStoreResolver,
  fieldName: string,
): Promise<StagedDataset> {
  const digestPath = `${path}.sha256`;
  const existing = await readFile(digestPath, "utf8").catch(() => undefined);
  if (existing) return { s3Uri, path, sha256: existing.trim(), bytes: (await stat(path)).size };
  const hash = createHash("sha256");
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const partial = `${path}.partial`;
  await pipeline(
    await openDatasetStream(s3Uri, objectStores, fieldName),
    hashing,
    createWriteStream(partial),
  );
  await rename(partial, path);
  const sha256 = hash.digest("hex");
  await writeFile(digestPath, `${sha256}\n`);
  return { s3Uri, path, sha256, bytes };
}
