// A typed GGUF metadata value. The type is kept (not just the JavaScript value) because llama.cpp checks it:
// llama.context_length must be a uint32, llama.rope.freq_base a float32, and so on. 64-bit integers are bigints
// so that they round-trip exactly.

export type GgufNumberTypeName =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "float32"
  | "float64";
export type GgufBigIntTypeName = "uint64" | "int64";

export type GgufScalarValue =
  | { type: GgufNumberTypeName; value: number }
  | { type: GgufBigIntTypeName; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string };

export type GgufArrayValue =
  | { type: "array"; elementType: GgufNumberTypeName; values: number[] }
  | { type: "array"; elementType: GgufBigIntTypeName; values: bigint[] }
  | { type: "array"; elementType: "bool"; values: boolean[] }
  | { type: "array"; elementType: "string"; values: string[] };

export type GgufMetadataValue = GgufScalarValue | GgufArrayValue;

export interface GgufMetadataEntry {
  key: string;
  value: GgufMetadataValue;
}

/** Entry builders for the scalar types GGUF writers use most. */
export const stringEntry = (key: string, value: string): GgufMetadataEntry => ({
  key,
  value: { type: "string", value },
});
export const uint32Entry = (key: string, value: number): GgufMetadataEntry => ({
  key,
  value: { type: "uint32", value },
});
export const float32Entry = (key: string, value: number): GgufMetadataEntry => ({
  key,
  value: { type: "float32", value },
});

/** The value as a JavaScript number when it is an integer or float scalar that fits one exactly. */
export function metadataNumber(value: GgufMetadataValue | undefined): number | undefined {
  if (value === undefined || value.type === "array") return undefined;
  if (typeof value.value === "number") return value.value;
  if (typeof value.value === "bigint") {
    const asNumber = Number(value.value);
    return Number.isSafeInteger(asNumber) ? asNumber : undefined;
  }
  return undefined;
}

export function metadataString(value: GgufMetadataValue | undefined): string | undefined {
  return value?.type === "string" ? value.value : undefined;
}
