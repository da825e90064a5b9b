// The value type codes of GGUF metadata (enum gguf_type in gguf.h), and the byte size of the fixed-size ones.

export const GgufValueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufValueTypeName = keyof typeof GgufValueType;
export type GgufElementTypeName = Exclude<GgufValueTypeName, "array">;

const namesByCode = new Map<number, GgufValueTypeName>(
  Object.entries(GgufValueType).map(([name, code]) => [code, name as GgufValueTypeName]),
);

export function ggufValueTypeName(code: number): GgufValueTypeName | undefined {
  return namesByCode.get(code);
}

/** Size in bytes of a fixed-size value; strings are a uint64 length plus their bytes, so at least 8. */
export const ggufElementMinimumSize: Readonly<Record<GgufElementTypeName, number>> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  bool: 1,
  string: 8,
  uint64: 8,
  int64: 8,
  float64: 8,
};
