import { describe, expect, it } from "vitest";
import { EarlyStopping } from "./early-stopping.js";

describe("EarlyStopping", () => {
  it("stops after `patience` evaluations in a row without a new best", () => {
    const stopping = new EarlyStopping(2);
    expect([3, 2, 2.5, 1.5, 1.6, 1.7].map((loss) => stopping.observe(loss))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it("never stops with patience 0", () => {
    const stopping = new EarlyStopping(0);
    expect([1, 2, 3, 4].some((loss) => stopping.observe(loss))).toBe(false);
  });
});
