// The job wizard's hyperparameter table (defaults, ranges) must say what the server enforces.
import { describe, expect, it } from "vitest";
import {
  hyperParameterFields,
  hyperParameterProblem,
  maximumOf,
} from "../../console/src/features/customization/hyperparameter-fields.js";
import {
  hyperParameterRules,
  parseHyperParameters,
} from "../../src/customization/hyperparameters/parse-hyperparameters.js";

describe("the console's hyperparameter fields", () => {
  for (const contextLength of [64, 512, 4096]) {
    it(`have the server's ranges and defaults (context ${contextLength})`, () => {
      const rules = hyperParameterRules(contextLength);
      const numericKeys = Object.entries(rules)
        .filter(([, rule]) => rule.kind !== "choice")
        .map(([key]) => key);
      expect(hyperParameterFields.map((field) => field.key).sort()).toEqual(numericKeys.sort());
      for (const method of ["lora", "full"] as const) {
        const parsed = parseHyperParameters({ trainingMethod: method }, contextLength);
        if (!parsed.ok) throw new Error(parsed.reason);
        for (const field of hyperParameterFields) {
          const rule = rules[field.key as keyof typeof rules];
          expect(rule.kind === "choice" ? undefined : [rule.kind, rule.min, rule.max]).toEqual([
            field.kind,
            field.min,
            maximumOf(field, contextLength),
          ]);
          expect(String(field.defaultValue(method, contextLength))).toBe(parsed.effective[field.key]);
        }
      }
    });
  }

  it("flag what the server would refuse, and only that", () => {
    for (const field of hyperParameterFields) {
      for (const raw of ["", "0", "1", "2.5", "-1", "1e-4", "16", "1000", "abc", "100000000"]) {
        const console = hyperParameterProblem(field, raw, 512) === undefined;
        const server = parseHyperParameters(raw === "" ? {} : { [field.key]: raw }, 512).ok;
        expect(`${field.key}=${raw}: ${console}`).toBe(`${field.key}=${raw}: ${server}`);
      }
    }
  });
});
