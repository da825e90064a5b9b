// A dataset's bytes as a stream, wherever it lives: an s3:// object through the configured object store, or a
// local file. The validator and the record reader both consume these chunks.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { ObjectNotFoundError } from "../../storage/object-store/object-store.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";

/** The dataset object (or file) does not exist; the message names it. */
export class DatasetNotFoundError extends Error {
  override readonly name = "DatasetNotFoundError";
}

export async function openDatasetStream(
  location: string,
  objectStores: ObjectStoreResolver,
  fieldName: string,
): Promise<Readable> {
  if (!location.startsWith("s3://")) return createReadStream(location);
  const { store, key } = objectStores.resolve(location, fieldName);
  try {
    return await store.get(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError)
      throw new DatasetNotFoundError(`${fieldName}: no object at ${location}.`);
    throw error;
  }
}

/** Size of the dataset object, or a DatasetNotFoundError naming the field. */
export async function requireDatasetObject(
  location: string,
  objectStores: ObjectStoreResolver,
  fieldName: string,
): Promise<number> {
  const { store, key } = objectStores.resolve(location, fieldName);
  const head = await store.head(key);
  if (!head) throw new DatasetNotFoundError(`${fieldName}: no object at ${location}.`);
  return head.size;
}

/** Lines of text (BOM and CR dropped, empty lines skipped) from already validated chunks. */
export async function* datasetRecordLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: false });
  let pending = "";
  let first = true;
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    // The decoder drops a BOM from bytes; text chunks may still carry one.
    if (first && pending.length > 0) {
      first = false;
      if (pending.startsWith("\ufeff")) pending = pending.slice(1);
    }
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      if (line.trim() !== "") yield line;
      newline = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  const last = pending.replace(/\r$/, "");
  if (last.trim() !== "") yield last;
}
