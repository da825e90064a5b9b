// The embeddings a transfer-learning job has computed so far, kept in its job directory so that a job cut
// short by a server stop resumes where it was instead of embedding every text again (its slow part). Rows are
// appended as float32 (what llama.cpp returns, so a resumed job's features are bit-identical), next to a
// fingerprint of what they are embeddings of: a different base file, token limit or text list starts over.
import { createHash } from "node:crypto";
import { appendFile, readFile, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";

interface CheckpointHeader {
  fingerprint: string;
  dimension: number;
}

export interface FeatureSource {
  /** The base model's GGUF file (its size and modification time are part of the fingerprint). */
  modelFile: string;
  maxTokens?: number;
  texts: readonly string[];
}

export async function featureFingerprint(source: FeatureSource): Promise<string> {
  const file = await stat(source.modelFile);
  const hash = createHash("sha256");
  hash.update(JSON.stringify([source.modelFile, file.size, file.mtimeMs, source.maxTokens ?? null]));
  for (const text of source.texts) hash.update(`\u0000${text}`);
  return hash.digest("hex");
}

export class FeatureCheckpoint {
  private readonly headerPath: string;
  private readonly rowsPath: string;
  private dimension: number | undefined;

  constructor(
    directory: string,
    private readonly fingerprint: string,
  ) {
    this.headerPath = join(directory, "features.json");
    this.rowsPath = join(directory, "features.f32");
  }

  /** The rows already embedded for this fingerprint (a torn last row is dropped); none for another one. */
  async load(): Promise<number[][]> {
    const header = await readFile(this.headerPath, "utf8")
      .then((text) => JSON.parse(text) as CheckpointHeader)
      .catch(() => undefined);
    if (!header || header.fingerprint !== this.fingerprint || !(header.dimension > 0)) return [];
    const bytes = await readFile(this.rowsPath).catch(() => Buffer.alloc(0));
    const rowBytes = header.dimension * 4;
    const rows = Math.floor(bytes.length / rowBytes);
    if (bytes.length !== rows * rowBytes) await truncate(this.rowsPath, rows * rowBytes);
    this.dimension = header.dimension;
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + rows * rowBytes));
    return Array.from({ length: rows }, (_, row) => [
      ...values.subarray(row * header.dimension, (row + 1) * header.dimension),
    ]);
  }

  async append(vectors: readonly number[][]): Promise<void> {
    if (vectors.length === 0) return;
    if (this.dimension === undefined) {
      this.dimension = vectors[0]?.length ?? 0;
      await writeFile(this.rowsPath, Buffer.alloc(0));
      await writeFile(
        this.headerPath,
        JSON.stringify({
          fingerprint: this.fingerprint,
          dimension: this.dimension,
        } satisfies CheckpointHeader),
      );
    }
    const rows = new Float32Array(vectors.length * this.dimension);
    for (const [index, vector] of vectors.entries()) {
      if (vector.length !== this.dimension)
        throw new Error(`an embedding of ${vector.length} values after rows of ${this.dimension}`);
      rows.set(vector, index * this.dimension);
    }
    await appendFile(this.rowsPath, Buffer.from(rows.buffer));
  }
}
