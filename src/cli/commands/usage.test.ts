import { describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import { timeOf } from "./usage.js";

describe("strata usage days", () => {
  it("turns days into UTC instants, an inclusive --to into the start of the next day", () => {
    expect(timeOf("2026-11-29", "--from", false)).toBe("2026-11-29T00:00:00.000Z");
    expect(timeOf("2026-11-29", "--to", true)).toBe("2026-11-30T00:00:00.000Z");
    expect(timeOf("2026-11-29T12:30:00Z", "--to", true)).toBe("2026-11-29T12:30:00.000Z");
  });

  it("refuses what is not a day or an ISO time, naming the flag", () => {
    for (const text of ["2026-02-30", "yesterday", "29/11/2026", "1700000000"]) {
      expect(() => timeOf(text, "--from", false)).toThrow(CliError);
      expect(() => timeOf(text, "--from", false)).toThrow(/^--from must be a day/);
    }
  });
});
