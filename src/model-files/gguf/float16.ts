// IEEE 754 half precision, converted the way ggml's ggml_compute_fp32_to_fp16 does: round to nearest with ties
// to even, overflow to infinity, subnormals kept, NaN as 0x7e00 with its sign. Node 20 has no Float16Array.

const float32View = new DataView(new ArrayBuffer(4));

export function float32ToFloat16Bits(value: number): number {
  float32View.setFloat32(0, value, true);
  const bits = float32View.getUint32(0, true);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) return sign | (mantissa === 0 ? 0x7c00 : 0x7e00);

  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;

  if (halfExponent <= 0) {
    // A half subnormal counts units of 2^-24; the float is (2^23 + mantissa) · 2^(exponent - 150).
    const shift = 126 - exponent;
    if (shift > 24) return sign; // below half a unit: rounds to zero
    const significand = mantissa | 0x800000;
    return sign | roundShiftRight(significand, shift);
  }

  // Normal: drop 13 mantissa bits; a carry out of the mantissa correctly bumps the exponent (up to infinity).
  return (sign | (halfExponent << 10)) + roundShiftRight(mantissa, 13);
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function encodeFloat16(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index++) {
    view.setUint16(index * 2, float32ToFloat16Bits(values[index] ?? 0), true);
  }
  return bytes;
}

/** value >> shift, rounded to nearest with ties to even. */
function roundShiftRight(value: number, shift: number): number {
  const kept = value >>> shift;
  const dropped = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return dropped > half || (dropped === half && (kept & 1) === 1) ? kept + 1 : kept;
}
