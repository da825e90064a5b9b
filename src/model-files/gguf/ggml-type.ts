// ggml's tensor element types as stored in a GGUF tensor info (enum ggml_type in ggml.h), with the block layout
// ggml uses to size a tensor's data: `blockSize` elements are stored in `bytesPerBlock` bytes, so a row of ne0
// elements must be a whole number of blocks. Ids 4, 5, 31–33 and 36–38 were removed from ggml and are unknown here.

export interface GgmlType {
  id: number;
  /** The name llama.cpp's tools and gguf-py use (GGMLQuantizationType), e.g. "Q8_0", "Q4_K". */
  name: string;
  blockSize: number;
  bytesPerBlock: number;
}

const superBlock = 256;

const ggmlTypeList: readonly GgmlType[] = [
  { id: 0, name: "F32", blockSize: 1, bytesPerBlock: 4 },
  { id: 1, name: "F16", blockSize: 1, bytesPerBlock: 2 },
  { id: 2, name: "Q4_0", blockSize: 32, bytesPerBlock: 2 + 16 },
  { id: 3, name: "Q4_1", blockSize: 32, bytesPerBlock: 2 + 2 + 16 },
  { id: 6, name: "Q5_0", blockSize: 32, bytesPerBlock: 2 + 4 + 16 },
  { id: 7, name: "Q5_1", blockSize: 32, bytesPerBlock: 2 + 2 + 4 + 16 },
  { id: 8, name: "Q8_0", blockSize: 32, bytesPerBlock: 2 + 32 },
  { id: 9, name: "Q8_1", blockSize: 32, bytesPerBlock: 4 + 4 + 32 },
  { id: 10, name: "Q2_K", blockSize: superBlock, bytesPerBlock: 2 + 2 + superBlock / 16 + superBlock / 4 },
  { id: 11, name: "Q3_K", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 4 + superBlock / 8 + 12 },
  { id: 12, name: "Q4_K", blockSize: superBlock, bytesPerBlock: 2 + 2 + superBlock / 2 + 12 },
  {
    id: 13,
    name: "Q5_K",
    blockSize: superBlock,
    bytesPerBlock: 2 + 2 + superBlock / 2 + superBlock / 8 + 12,
  },
  {
    id: 14,
    name: "Q6_K",
    blockSize: superBlock,
    bytesPerBlock: 2 + superBlock / 2 + superBlock / 4 + superBlock / 16,
  },
  { id: 15, name: "Q8_K", blockSize: superBlock, bytesPerBlock: 4 + superBlock + superBlock / 8 },
  { id: 16, name: "IQ2_XXS", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 4 },
  { id: 17, name: "IQ2_XS", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 4 + superBlock / 32 },
  { id: 18, name: "IQ3_XXS", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 4 + superBlock / 8 },
  { id: 19, name: "IQ1_S", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 8 + superBlock / 16 },
  { id: 20, name: "IQ4_NL", blockSize: 32, bytesPerBlock: 2 + 16 },
  {
    id: 21,
    name: "IQ3_S",
    blockSize: superBlock,
    bytesPerBlock: 2 + superBlock / 4 + superBlock / 8 + superBlock / 32 + 4,
  },
  { id: 22, name: "IQ2_S", blockSize: superBlock, bytesPerBlock: 2 + superBlock / 4 + superBlock / 16 },
  { id: 23, name: "IQ4_XS", blockSize: superBlock, bytesPerBlock: 2 + 2 + superBlock / 2 + superBlock / 64 },
  { id: 24, name: "I8", blockSize: 1, bytesPerBlock: 1 },
  { id: 25, name: "I16", blockSize: 1, bytesPerBlock: 2 },
  { id: 26, name: "I32", blockSize: 1, bytesPerBlock: 4 },
  { id: 27, name: "I64", blockSize: 1, bytesPerBlock: 8 },
  { id: 28, name: "F64", blockSize: 1, bytesPerBlock: 8 },
  {
    id: 29,
    name: "IQ1_M",
    blockSize: superBlock,
    bytesPerBlock: superBlock / 8 + superBlock / 16 + superBlock / 32,
  },
  { id: 30, name: "BF16", blockSize: 1, bytesPerBlock: 2 },
  { id: 34, name: "TQ1_0", blockSize: superBlock, bytesPerBlock: 2 + 4 * 13 },
  { id: 35, name: "TQ2_0", blockSize: superBlock, bytesPerBlock: 2 + 64 },
  { id: 39, name: "MXFP4", blockSize: 32, bytesPerBlock: 1 + 16 },
  { id: 40, name: "NVFP4", blockSize: 64, bytesPerBlock: 4 + 32 },
  { id: 41, name: "Q1_0", blockSize: 128, bytesPerBlock: 2 + 16 },
  { id: 42, name: "Q2_0", blockSize: 64, bytesPerBlock: 2 + 16 },
];

const ggmlTypesById = new Map(ggmlTypeList.map((type) => [type.id, type]));
const ggmlTypesByName = new Map(ggmlTypeList.map((type) => [type.name, type]));

export function ggmlTypeById(id: number): GgmlType | undefined {
  return ggmlTypesById.get(id);
}

export function ggmlTypeByName(name: string): GgmlType | undefined {
  return ggmlTypesByName.get(name);
}

/** Bytes of a tensor whose element count is a whole number of the type's blocks. */
export function ggmlTensorByteSize(type: GgmlType, elementCount: number): number {
  return (elementCount / type.blockSize) * type.bytesPerBlock;
}
