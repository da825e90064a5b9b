import { describe, expect, it } from "vitest";
import { encodeFloat16, float16BitsToFloat32, float32ToFloat16Bits } from "./float16.js";
import { dequantizeQ8_0, q8_0BlockBytes, quantizeQ8_0 } from "./quantize-q8-0.js";

/** Every finite non-negative half, decoded from first principles, in increasing order (bits 0x0000–0x7bff). */
const finiteHalves: number[] = Array.from({ length: 0x7c00 }, (_, bits) => {
  const exponent = bits >> 10;
  const fraction = bits & 0x3ff;
  return exponent === 0 ? fraction / 2 ** 24 : (1024 + fraction) * 2 ** (exponent - 25);
});

/** The nearest half by search (ties to the even bit pattern), independent of the bit-twiddling implementation. */
function nearestHalfBits(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00; // halfway between 65504 and 2^16 rounds to the even pattern: ∞
  let low = 0;
  let high = finiteHalves.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((finiteHalves[middle] ?? 0) <= magnitude) low = middle;
    else high = middle;
  }
  const below = magnitude - (finiteHalves[low] ?? 0);
  const above = (finiteHalves[high] ?? 0) - magnitude;
  const bits = below < above ? low : above < below ? high : low % 2 === 0 ? low : high;
  return sign | bits;
}

describe("float32ToFloat16Bits", () => {
  it("encodes known values", () => {
    const known: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00],
      [2 ** -14, 0x0400],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000],
      [1.5 * 2 ** -25, 0x0001],
      [1 + 2 ** -11, 0x3c00],
      [1 + 3 * 2 ** -11, 0x3c02],
      [0.1, 0x2e66],
      [1 / 3, 0x3555],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [Number.NaN, 0x7e00],
    ];
    for (const [value, bits] of known) {
      expect([value, float32ToFloat16Bits(value).toString(16)]).toEqual([value, bits.toString(16)]);
    }
  });

  it("round-trips every half exactly", () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue; // NaNs
      if (float32ToFloat16Bits(float16BitsToFloat32(bits)) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it("rounds arbitrary floats to the nearest half, ties to even", () => {
    const values = new Float32Array(20_000);
    let state = 12345;
    for (let index = 0; index < values.length; index++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const exponent = (state % 46) - 28; // covers subnormals, normals and overflow
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      values[index] = (state / 2 ** 32 - 0.5) * 2 * 2 ** exponent;
    }
    // Exact midpoints between neighbouring halves, where ties-to-even decides.
    values.set([1 + 2 ** -11, 2049, 2051, 3 * 2 ** -25, 5 * 2 ** -25], 0);
    const mismatches = Array.from(values)
      .map((value) => [value, float32ToFloat16Bits(value), nearestHalfBits(value)])
      .filter(([, actual, expected]) => actual !== expected);
    expect(mismatches).toEqual([]);
  });

  it("encodes arrays little-endian", () => {
    expect(Array.from(encodeFloat16(new Float32Array([1, -2])))).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  });
});

describe("quantizeQ8_0", () => {
  it("uses scale amax/127 and rounds halves away from zero, like ggml's reference", () => {
    // amax 127 makes the scale exactly 1, so the quants are the values rounded as C's roundf does.
    const exact = new Float32Array(32);
    exact.set([127, -127, 2.5, -2.5, 0.5, -0.5, 1.4999, -1.5001, 126.5, 3]);
    // amax 63.5 makes the scale 0.5: each quant is twice the value.
    const halved = new Float32Array(32);
    halved.set([63.5, -63.5, 1.25, -1.25, 0.2, 10]);
    const bytes = quantizeQ8_0(new Float32Array([...exact, ...halved]));
    expect(bytes.byteLength).toBe(2 * q8_0BlockBytes);
    const view = new DataView(bytes.buffer);

    expect(view.getUint16(0, true)).toBe(0x3c00); // 1.0
    const firstQuants = Array.from(new Int8Array(bytes.buffer, 2, 32));
    expect(firstQuants.slice(0, 10)).toEqual([127, -127, 3, -3, 1, -1, 1, -2, 127, 3]);
    expect(firstQuants.slice(10).every((quant) => quant === 0)).toBe(true);

    expect(view.getUint16(q8_0BlockBytes, true)).toBe(0x3800); // 0.5
    const secondQuants = Array.from(new Int8Array(bytes.buffer, q8_0BlockBytes + 2, 32));
    expect(secondQuants.slice(0, 6)).toEqual([127, -127, 3, -3, 0, 20]);
  });

  it("stores the fp16 of amax/127 for an inexact scale and stays within half a step", () => {
    const values = new Float32Array(32).map((_, index) => Math.sin(index) * 0.7);
    const bytes = quantizeQ8_0(values);
    const amax = Math.max(...Array.from(values, Math.abs));
    const scale = Math.fround(amax / 127);
    expect(new DataView(bytes.buffer).getUint16(0, true)).toBe(nearestHalfBits(scale));
    const restored = dequantizeQ8_0(bytes);
    for (let index = 0; index < 32; index++) {
      expect(Math.abs((restored[index] ?? 0) - (values[index] ?? 0))).toBeLessThanOrEqual(scale * 0.51);
    }
  });

  it("encodes an all-zero block as scale 0 and zero quants", () => {
    expect(Array.from(quantizeQ8_0(new Float32Array(32)))).toEqual(new Array(34).fill(0));
  });

  it("refuses a length that is not whole blocks", () => {
    expect(() => quantizeQ8_0(new Float32Array(33))).toThrow(/multiple of 32/);
  });
});
