// ggml's Q8_0: blocks of 32 values stored as an fp16 scale d followed by 32 int8 quants, value ≈ d · q.
// The arithmetic follows quantize_row_q8_0_ref in ggml-quants.c, in float32 like the C code: d = amax / 127,
// q = roundf(x · (1 / d)) with halves rounded away from zero. (gguf-py divides by d instead of multiplying by
// its inverse, which can differ in the last bit; llama-quantize uses the C reference.)
import { float16BitsToFloat32, float32ToFloat16Bits } from "./float16.js";

export const q8_0BlockSize = 32;
export const q8_0BlockBytes = 2 + q8_0BlockSize;

export function quantizeQ8_0(values: Float32Array): Uint8Array {
  if (values.length % q8_0BlockSize !== 0) {
    throw new RangeError(`Q8_0 needs a multiple of ${q8_0BlockSize} values, got ${values.length}`);
  }
  const blockCount = values.length / q8_0BlockSize;
  const bytes = new Uint8Array(blockCount * q8_0BlockBytes);
  const view = new DataView(bytes.buffer);
  for (let block = 0; block < blockCount; block++) {
    const first = block * q8_0BlockSize;
    let absoluteMaximum = 0;
    for (let index = 0; index < q8_0BlockSize; index++) {
      absoluteMaximum = Math.max(absoluteMaximum, Math.abs(values[first + index] ?? 0));
    }
    const scale = Math.fround(absoluteMaximum / 127);
    const inverseScale = scale === 0 ? 0 : Math.fround(1 / scale);
    const blockOffset = block * q8_0BlockBytes;
    view.setUint16(blockOffset, float32ToFloat16Bits(scale), true);
    for (let index = 0; index < q8_0BlockSize; index++) {
      const scaled = Math.fround((values[first + index] ?? 0) * inverseScale);
      view.setInt8(blockOffset + 2 + index, roundHalfAwayFromZero(scaled));
    }
  }
  return bytes;
}

export function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const blockCount = Math.floor(bytes.byteLength / q8_0BlockBytes);
  const values = new Float32Array(blockCount * q8_0BlockSize);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let block = 0; block < blockCount; block++) {
    const blockOffset = block * q8_0BlockBytes;
    const scale = float16BitsToFloat32(view.getUint16(blockOffset, true));
    for (let index = 0; index < q8_0BlockSize; index++) {
      values[block * q8_0BlockSize + index] = scale * view.getInt8(blockOffset + 2 + index);
    }
  }
  return values;
}

/** C's roundf. Exact here: the argument is a float32 of magnitude ≤ 127, so adding 0.5 in float64 is exact. */
function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.floor(Math.abs(value) + 0.5);
}
