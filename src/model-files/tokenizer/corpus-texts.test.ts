import { describe, expect, it } from "vitest";
import {
  corpusPackagesInstalled,
  englishCorpusTexts,
  limitTexts,
  localDocumentationTexts,
  mobyDickTexts,
  stateOfTheUnionSpeeches,
  stateOfTheUnionTexts,
} from "./corpus-texts.js";

const installed = corpusPackagesInstalled();

describe("corpus texts", () => {
  it.runIf(installed.stateOfTheUnion)("filters State of the Union speeches by year", () => {
    const nineteenthCentury = stateOfTheUnionSpeeches({ before: 1900 });
    expect(nineteenthCentury.length).toBeGreaterThan(100);
    expect(nineteenthCentury.every((speech) => speech.year < 1900)).toBe(true);
    expect(nineteenthCentury[0]).toMatchObject({ year: 1790, president: "George Washington" });
    const twentiethCentury = stateOfTheUnionSpeeches({ from: 1900, to: 1999 });
    expect(twentiethCentury.every((speech) => speech.year >= 1900 && speech.year <= 1999)).toBe(true);
    expect(twentiethCentury.some((speech) => speech.year === 1999)).toBe(true);
    const afterTwoThousand = [...stateOfTheUnionTexts({ after: 2000 })];
    expect(afterTwoThousand.length).toBe(stateOfTheUnionSpeeches({ from: 2001 }).length);
  });

  it.runIf(installed.mobyDick)("yields Moby-Dick chapter by chapter", () => {
    const chapters = [...mobyDickTexts()];
    expect(chapters.length).toBeGreaterThan(130);
    expect(chapters.join("\n")).toContain("Call me Ishmael.");
  });

  it("has local Markdown to fall back on", () => {
    const first = [...limitTexts(localDocumentationTexts(), 100_000)];
    expect(first.join("").length).toBeGreaterThan(50_000);
  });

  it("limits texts to a byte budget", () => {
    const limited = [...limitTexts(englishCorpusTexts(), 123_456)];
    expect(limited.reduce((sum, text) => sum + Buffer.byteLength(text), 0)).toBeLessThanOrEqual(
      123_456 + 1000,
    );
    expect([...limitTexts(["abc", "def"], 4)]).toEqual(["abc", "d"]);
  });
});
