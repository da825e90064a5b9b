// Where a dataset named on the command line lives for the server: an s3:// URI as given, or a local file
// uploaded first to s3://<bucket>/datasets/ (the CLI only reaches the server through its API and S3).
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { StrataConfig } from "../../config/strata-config.js";
import type { ApiClient } from "../api-client.js";
import { CliError } from "../cli-error.js";
import { s3ClientFor } from "./models-import.js";

export interface DatasetLocation {
  s3Uri: string;
  /** The local file it was uploaded from, to name it in reports the way the user named it. */
  localPath?: string;
}

export async function datasetLocation(
  config: StrataConfig,
  api: ApiClient,
  source: string,
): Promise<DatasetLocation> {
  if (source.startsWith("s3://")) return { s3Uri: source };
  let size: number;
  try {
    const stat = statSync(source);
    if (!stat.isFile()) throw new Error("not a file");
    size = stat.size;
  } catch {
    throw new CliError(`${source} is not a readable file (give a local .jsonl file or an s3:// URI)`);
  }
  const { client, bucket } = await s3ClientFor(config, api);
  try {
    const key = `datasets/${Date.now()}-${basename(source).replace(/[^0-9A-Za-z._-]/g, "_")}`;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(source), ContentLength: size }),
    );
    return { s3Uri: `s3://${bucket}/${key}`, localPath: source };
  } finally {
    client.destroy();
  }
}
