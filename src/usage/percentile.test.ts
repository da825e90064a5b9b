import { expect, it } from "vitest";
import { percentile, sortedAscending } from "./percentile.js";

it("takes the nearest rank: an observed value, the smallest with p% at or below it", () => {
  const hundred = sortedAscending(Array.from({ length: 100 }, (_, i) => 100 - i)); // 1..100
  expect(percentile(hundred, 50)).toBe(50);
  expect(percentile(hundred, 95)).toBe(95);
  expect(percentile(hundred, 99)).toBe(99);
  expect(percentile(hundred, 100)).toBe(100);
  expect(percentile(hundred, 0)).toBe(1);
  // 7 × 100 / 100, not 0.07 × 100 = 7.000000000000001 (which would round up to rank 8).
  expect(percentile(hundred, 7)).toBe(7);

  const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  expect(percentile(ten, 50)).toBe(50);
  expect(percentile(ten, 95)).toBe(100);
  expect(percentile(ten, 99)).toBe(100);
  expect(percentile(ten, 10)).toBe(10);
  expect(percentile(ten, 11)).toBe(20);

  expect(percentile([7], 50)).toBe(7);
  expect(percentile([7], 99)).toBe(7);
  expect(percentile([1, 2], 50)).toBe(1);
  expect(percentile([], 50)).toBeUndefined();
  expect(() => percentile([1], 101)).toThrow(RangeError);
  expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
});

it("sorts numerically, not as text", () => {
  expect(sortedAscending([10, 9, 100, 1.5])).toEqual([1.5, 9, 10, 100]);
});
