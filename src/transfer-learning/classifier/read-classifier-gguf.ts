// A classifier GGUF (classifier-gguf.ts) read back into the head serving uses. The file is untrusted: the header
// goes through readGgufHeader, every key and tensor the head needs is checked by name, type and shape, and the
// assembled head passes the same checks as a JSON head. A GGUF that is not a classifier (a llama model, an
// adapter) is refused naming the file and the key it lacks.
import {
  type GgufByteSource,
  memoryByteSource,
  type OpenedFileByteSource,
  openFileByteSource,
} from "../../model-files/gguf/gguf-byte-source.js";
import type { GgufHeader } from "../../model-files/gguf/gguf-header.js";
import { readGgufHeader } from "../../model-files/gguf/read-gguf.js";
import { ValidationException } from "../../protocol/aws-errors.js";
import { type ClassificationHead, checkClassificationHead, headFormat } from "./classification-head.js";
import {
  type ClassifierBaseFile,
  classifierArchitecture,
  classifierGgufVersion,
  classifierKeys,
  classifierTensors,
  parameterTensorShapes,
} from "./classifier-gguf.js";

export interface ClassifierGguf {
  head: ClassificationHead;
  /** general.name, when the file has one. */
  name?: string;
  /** The base beyond head.features.baseModelId, as far as the file records it. */
  base: ClassifierBaseFile;
}

export type ClassifierGgufParseResult =
  | { ok: true; classifier: ClassifierGguf }
  | { ok: false; reason: string };

/** Reads a classifier GGUF from a path or from bytes; `fileName` is what a refusal calls it. Never throws. */
export async function parseClassifierGguf(
  input: string | Uint8Array,
  fileName: string,
): Promise<ClassifierGgufParseResult> {
  let opened: OpenedFileByteSource | undefined;
  try {
    let source: GgufByteSource;
    if (typeof input === "string") {
      opened = await openFileByteSource(input);
      source = opened;
    } else source = memoryByteSource(input);
    const read = await readGgufHeader(source);
    if (!read.ok) return { ok: false, reason: `${fileName} is not a readable GGUF: ${read.reason}` };
    return { ok: true, classifier: await classifierFromHeader(read.header, source, fileName) };
  } catch (error) {
    if (error instanceof NotAClassifier) return { ok: false, reason: error.reason };
    return { ok: false, reason: `cannot read ${fileName}: ${(error as Error).message}` };
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

/**
 * Reads a classifier GGUF at `path`, or throws a ValidationException saying why it is not one — or, given the
 * base it is to run on, why it belongs to another base.
 */
export async function readClassifierGguf(
  path: string,
  expectedBase?: { baseModelId: string; fileSha256?: string },
): Promise<ClassifierGguf> {
  const parsed = await parseClassifierGguf(path, path);
  if (!parsed.ok) throw new ValidationException(parsed.reason);
  const { head, base } = parsed.classifier;
  if (expectedBase && head.features.baseModelId !== expectedBase.baseModelId)
    throw new ValidationException(
      `${path} is a classifier over ${head.features.baseModelId}, not over ${expectedBase.baseModelId}: its features are another model's embeddings.`,
    );
  if (expectedBase?.fileSha256 && base.fileSha256 && base.fileSha256 !== expectedBase.fileSha256)
    throw new ValidationException(
      `${path} was trained on a base file with sha256 ${base.fileSha256}, not on this one (${expectedBase.fileSha256}).`,
    );
  return parsed.classifier;
}

/** Raised only inside this module, so that the checks can stop at the first problem; parse turns it into a reason. */
class NotAClassifier {
  constructor(readonly reason: string) {}
}

async function classifierFromHeader(
  header: GgufHeader,
  source: GgufByteSource,
  fileName: string,
): Promise<ClassifierGguf> {
  const { metadata } = header;
  const architecture = metadata.get("general.architecture");
  if (architecture?.type !== "string" || architecture.value !== classifierArchitecture) {
    const found = architecture?.type === "string" ? JSON.stringify(architecture.value) : "missing";
    throw new NotAClassifier(
      `${fileName} is not a classifier GGUF: it has no ${classifierKeys.headType} (general.architecture is ${found}; a classifier's is "${classifierArchitecture}")`,
    );
  }
  const invalid = (problem: string) =>
    new NotAClassifier(`${fileName} is not a valid classifier GGUF: ${problem}`);
  const present = (key: string) => {
    const value = metadata.get(key);
    if (value === undefined) throw invalid(`the key ${key} is missing`);
    return value;
  };
  const string = (key: string) => {
    const value = present(key);
    if (value.type !== "string") throw invalid(`${key} is a ${value.type}, not a string`);
    return value.value;
  };
  const uint32 = (key: string) => {
    const value = present(key);
    if (value.type !== "uint32") throw invalid(`${key} is a ${value.type}, not a uint32`);
    return value.value;
  };
  const optionalString = (key: string) => (metadata.has(key) ? string(key) : undefined);

  const version = uint32(classifierKeys.formatVersion);
  if (version !== classifierGgufVersion)
    throw invalid(
      `${classifierKeys.formatVersion} is ${version}; this Strata reads version ${classifierGgufVersion}`,
    );
  const headType = string(classifierKeys.headType);
  if (headType !== "logistic-regression" && headType !== "mlp")
    throw invalid(
      `${classifierKeys.headType} is ${JSON.stringify(headType)}, not logistic-regression or mlp`,
    );
  const labels = present(classifierKeys.labels);
  if (labels.type !== "array" || labels.elementType !== "string")
    throw invalid(`${classifierKeys.labels} must be an array of strings`);
  const dimensions = uint32(classifierKeys.embeddingLength);
  const hiddenUnits = headType === "mlp" ? uint32(classifierKeys.hiddenUnits) : 0;
  const pooling = string(classifierKeys.pooling);
  if (pooling !== "mean")
    throw invalid(`${classifierKeys.pooling} is ${JSON.stringify(pooling)}; only mean is served`);

  const tensor = async (name: string, shape: number[]): Promise<number[]> => {
    const info = header.tensors.find((candidate) => candidate.name === name);
    if (!info) throw invalid(`the tensor ${name} is missing`);
    if (info.typeName !== "F32") throw invalid(`the tensor ${name} is ${info.typeName}, not F32`);
    if (info.dimensions.join(",") !== shape.join(","))
      throw invalid(`the tensor ${name} is [${info.dimensions.join(", ")}], not [${shape.join(", ")}]`);
    const bytes = await source.read(info.fileOffset, info.byteSize);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: info.elementCount }, (_, index) => view.getFloat32(index * 4, true));
  };
  const parameters: number[] = [];
  const layers = parameterTensorShapes({ headType, dimensions, hiddenUnits, classes: labels.values.length });
  // Pushed one by one: spreading a large layer (hidden units × a 4096-wide embedding) into push overflows the stack.
  for (const layer of layers)
    for (const value of await tensor(layer.name, layer.dimensions)) parameters.push(value);

  const checked = checkClassificationHead({
    format: headFormat,
    version: 1,
    headType,
    labels: labels.values,
    ...(headType === "mlp" ? { hiddenUnits } : {}),
    features: {
      baseModelId: string(classifierKeys.baseModelId),
      pooling,
      dimensions,
      maxInputTokens: uint32(classifierKeys.maxInputTokens),
    },
    standardization: {
      mean: await tensor(classifierTensors.mean, [dimensions]),
      scale: await tensor(classifierTensors.scale, [dimensions]),
    },
    parameters,
  } satisfies ClassificationHead);
  if (!checked.ok) throw invalid(checked.reason);

  const name = optionalString("general.name");
  const customModelId = optionalString(classifierKeys.baseCustomModelId);
  const baseFileName = optionalString(classifierKeys.baseFileName);
  const fileSha256 = optionalString(classifierKeys.baseFileSha256);
  return {
    head: checked.head,
    ...(name ? { name } : {}),
    base: {
      ...(customModelId ? { customModelId } : {}),
      ...(baseFileName ? { fileName: baseFileName } : {}),
      ...(fileSha256 ? { fileSha256 } : {}),
    },
  };
}
