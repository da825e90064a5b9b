// What ExportCustomModel uploads for a transfer-learning custom model: its JSON head converted to a classifier GGUF
// (classifier-gguf.ts), with the custom model's name and what its lineage knows of the base. The conversion takes
// milliseconds and a few kilobytes, so it is made per export in a scratch directory rather than kept on disk.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import type { CustomModel } from "../../customization/custom-models/custom-model-registry.js";
import type { WrittenGgufFile } from "../../model-files/gguf/write-gguf.js";
import { parseClassificationHead } from "./classification-head.js";
import { writeClassifierGguf } from "./classifier-gguf.js";

/** Writes the model's classifier GGUF, hands it to `use` (the upload), and removes it whatever happens. */
export async function withClassifierGguf<T>(
  model: CustomModel,
  dataDirectory: string,
  use: (file: WrittenGgufFile) => Promise<T>,
): Promise<T> {
  const headPath = isAbsolute(model.artifactFile)
    ? model.artifactFile
    : join(dataDirectory, model.artifactFile);
  const parsed = parseClassificationHead(await readFile(headPath, "utf8"));
  if (!parsed.ok)
    throw new Error(`The classifier file of ${model.modelName} (${headPath}) is damaged: ${parsed.reason}`);
  const scratch = await mkdtemp(join(tmpdir(), "strata-classifier-export-"));
  try {
    const { baseModelFileSha256 } = model.lineage;
    const file = await writeClassifierGguf(join(scratch, `${model.modelName}.gguf`), parsed.head, {
      name: model.modelName,
      base: {
        ...(model.baseCustomModelId ? { customModelId: model.baseCustomModelId } : {}),
        fileName: basename(model.baseModelFile),
        ...(baseModelFileSha256 ? { fileSha256: baseModelFileSha256 } : {}),
      },
    });
    return await use(file);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
