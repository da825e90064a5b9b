import { describe, expect, it } from "vitest";
import { holdOutValidation } from "./hold-out-validation.js";

const records = [
  ...Array.from({ length: 20 }, (_, i) => ({ text: `ham ${i}`, label: "ham", line: i + 1 })),
  ...Array.from({ length: 5 }, (_, i) => ({ text: `spam ${i}`, label: "spam", line: i + 21 })),
  { text: "the only eggs", label: "eggs", line: 26 },
];

describe("holdOutValidation", () => {
  it("holds out the share of each class (at least one), keeps single examples for training, is seeded", () => {
    const { training, validation } = holdOutValidation(records, 0.1, 1);
    expect(validation.filter((record) => record.label === "ham")).toHaveLength(2);
    expect(validation.filter((record) => record.label === "spam")).toHaveLength(1);
    expect(validation.filter((record) => record.label === "eggs")).toHaveLength(0);
    expect(training).toHaveLength(records.length - 3);
    expect(new Set([...training, ...validation]).size).toBe(records.length);
    expect(holdOutValidation(records, 0.1, 1)).toEqual({ training, validation });
    expect(holdOutValidation(records, 0.1, 2).validation).not.toEqual(validation);
  });
});
