// A classification head as a GGUF file: what ExportCustomModel hands out for a transfer-learning custom model, so
// that every custom model exports as GGUF. Every parameter is an F32 tensor (the float64 weights of the JSON head
// rounded once to float32, the precision ggml computes in); the metadata carries what serving needs besides the
// base model — head type, labels, embedding length, pooling, token limit — and which base the head sits on, so a
// reader can refuse a file meant for another base. read-classifier-gguf.ts reads it back into the same head.
import {
  type GgufMetadataEntry,
  stringEntry,
  uint32Entry,
} from "../../model-files/gguf/gguf-metadata-value.js";
import {
  type GgufFileContents,
  type GgufTensorToWrite,
  type WrittenGgufFile,
  writeGguf,
} from "../../model-files/gguf/write-gguf.js";
import type { ClassificationHead } from "./classification-head.js";

/**
 * general.architecture of a classifier GGUF. Deliberately not the base's architecture (llama…): the file holds no
 * transformer, and llama.cpp refusing an unknown architecture is what should happen when someone loads a head
 * as a model. Readers recognise a classifier by this value.
 */
export const classifierArchitecture = "strata-classifier";
export const classifierGgufVersion = 1;

/** Metadata keys, under the architecture's prefix as GGUF's convention has it (llama.embedding_length…). */
export const classifierKeys = {
  formatVersion: `${classifierArchitecture}.format_version`,
  headType: `${classifierArchitecture}.head_type`,
  labels: `${classifierArchitecture}.labels`,
  /** The length of the base's embeddings the head reads: equal to the base GGUF's <arch>.embedding_length. */
  embeddingLength: `${classifierArchitecture}.embedding_length`,
  hiddenUnits: `${classifierArchitecture}.hidden_units`,
  pooling: `${classifierArchitecture}.pooling`,
  maxInputTokens: `${classifierArchitecture}.max_input_tokens`,
  baseModelId: `${classifierArchitecture}.base_model.id`,
  baseCustomModelId: `${classifierArchitecture}.base_model.custom_model_id`,
  baseFileName: `${classifierArchitecture}.base_model.file_name`,
  baseFileSha256: `${classifierArchitecture}.base_model.file_sha256`,
} as const;

/** Tensor names; weights in ggml order, [inputs, outputs], so each output's row of weights is contiguous. */
export const classifierTensors = {
  mean: "standardization.mean",
  scale: "standardization.scale",
  hiddenWeight: "hidden.weight",
  hiddenBias: "hidden.bias",
  outputWeight: "output.weight",
  outputBias: "output.bias",
} as const;

/** Where the base model the head was trained on comes from, beyond the catalog id the head itself records. */
export interface ClassifierBaseFile {
  /** Set when the base is a merged custom model rather than a catalog model. */
  customModelId?: string;
  /** The base GGUF's file name, without a directory: this server's paths mean nothing where the file goes. */
  fileName?: string;
  fileSha256?: string;
}

export interface ClassifierGgufDescription {
  /** general.name: the custom model's name. */
  name?: string;
  base?: ClassifierBaseFile;
}

export function writeClassifierGguf(
  path: string,
  head: ClassificationHead,
  description: ClassifierGgufDescription = {},
): Promise<WrittenGgufFile> {
  return writeGguf(path, classifierGgufContents(head, description));
}

export function classifierGgufContents(
  head: ClassificationHead,
  description: ClassifierGgufDescription = {},
): GgufFileContents {
  return { metadata: classifierMetadata(head, description), tensors: classifierTensorList(head) };
}

function classifierMetadata(head: ClassificationHead, description: ClassifierGgufDescription) {
  const { base = {} } = description;
  const optional = (key: string, value: string | undefined) => (value ? [stringEntry(key, value)] : []);
  return [
    stringEntry("general.architecture", classifierArchitecture),
    ...optional("general.name", description.name),
    uint32Entry(classifierKeys.formatVersion, classifierGgufVersion),
    stringEntry(classifierKeys.headType, head.headType),
    { key: classifierKeys.labels, value: { type: "array", elementType: "string", values: head.labels } },
    uint32Entry(classifierKeys.embeddingLength, head.features.dimensions),
    ...(head.headType === "mlp" ? [uint32Entry(classifierKeys.hiddenUnits, head.hiddenUnits ?? 0)] : []),
    stringEntry(classifierKeys.pooling, head.features.pooling),
    uint32Entry(classifierKeys.maxInputTokens, head.features.maxInputTokens),
    stringEntry(classifierKeys.baseModelId, head.features.baseModelId),
    ...optional(classifierKeys.baseCustomModelId, base.customModelId),
    ...optional(classifierKeys.baseFileName, base.fileName),
    ...optional(classifierKeys.baseFileSha256, base.fileSha256),
  ] satisfies GgufMetadataEntry[];
}

/** The parameter tensors in the order of the head's flat parameters (logistic-regression.ts, multilayer-perceptron.ts). */
export function parameterTensorShapes(shape: {
  headType: ClassificationHead["headType"];
  dimensions: number;
  hiddenUnits: number;
  classes: number;
}): { name: string; dimensions: number[] }[] {
  const { dimensions, hiddenUnits, classes } = shape;
  return shape.headType === "mlp"
    ? [
        { name: classifierTensors.hiddenWeight, dimensions: [dimensions, hiddenUnits] },
        { name: classifierTensors.hiddenBias, dimensions: [hiddenUnits] },
        { name: classifierTensors.outputWeight, dimensions: [hiddenUnits, classes] },
        { name: classifierTensors.outputBias, dimensions: [classes] },
      ]
    : [
        { name: classifierTensors.outputWeight, dimensions: [dimensions, classes] },
        { name: classifierTensors.outputBias, dimensions: [classes] },
      ];
}

function classifierTensorList(head: ClassificationHead): GgufTensorToWrite[] {
  const { dimensions } = head.features;
  const f32 = (name: string, shape: number[], values: readonly number[]): GgufTensorToWrite => ({
    name,
    dimensions: shape,
    type: "F32",
    values: Float32Array.from(values),
  });
  const layers = parameterTensorShapes({
    headType: head.headType,
    dimensions,
    hiddenUnits: head.hiddenUnits ?? 0,
    classes: head.labels.length,
  });
  let offset = 0;
  const parameterTensors = layers.map((layer) => {
    const count = layer.dimensions.reduce((product, extent) => product * extent, 1);
    const values = head.parameters.slice(offset, offset + count);
    offset += count;
    return f32(layer.name, layer.dimensions, values);
  });
  return [
    f32(classifierTensors.mean, [dimensions], head.standardization.mean),
    f32(classifierTensors.scale, [dimensions], head.standardization.scale),
    ...parameterTensors,
  ];
}
