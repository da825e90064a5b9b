import { describe, expect, it } from "vitest";
import { adviseCustomizationMethod, classifyRecord, methodForGoal } from "./advise-customization-method.js";

describe("the method advisor", () => {
  it("classifies the record shapes", () => {
    expect(classifyRecord({ prompt: "a", completion: "b" })).toBe("prompt-completion");
    expect(classifyRecord({ schemaVersion: "bedrock-conversation-2024", messages: [] })).toBe("conversation");
    expect(classifyRecord({ input: "text" })).toBe("continued-pre-training");
    expect(classifyRecord({ text: "great film", label: "positive" })).toBe("text-label");
    expect(classifyRecord({ question: "?" })).toBe("other");
    expect(classifyRecord([1])).toBe("other");
  });

  it("prompt/response pairs → instruction fine-tuning (FINE_TUNING), saying what the others need", () => {
    const advice = adviseCustomizationMethod({ "prompt-completion": 40 });
    expect(advice).toMatchObject({
      detectedFormat: "prompt-completion",
      recordsExamined: 40,
      recommendedMethod: "INSTRUCTION_FINE_TUNING",
      customizationType: "FINE_TUNING",
    });
    expect(advice.methods.filter((method) => method.fits).map((method) => method.method)).toEqual([
      "INSTRUCTION_FINE_TUNING",
    ]);
    expect(advice.methods.find((method) => method.method === "CONTINUED_PRE_TRAINING")?.dataNeeded).toMatch(
      /"input"/,
    );
  });

  it("unlabelled text → continued pre-training; labelled classes → transfer learning", () => {
    expect(adviseCustomizationMethod({ "continued-pre-training": 3 })).toMatchObject({
      recommendedMethod: "CONTINUED_PRE_TRAINING",
      customizationType: "CONTINUED_PRE_TRAINING",
    });
    expect(adviseCustomizationMethod({ "text-label": 3 })).toMatchObject({
      recommendedMethod: "TRANSFER_LEARNING",
      customizationType: "FINE_TUNING",
    });
  });

  it("says when the goal needs other data, and refuses mixed or unknown data", () => {
    const advice = adviseCustomizationMethod(
      { "continued-pre-training": 3 },
      "classify support tickets by intent",
    );
    expect(advice.recommendedMethod).toBe("CONTINUED_PRE_TRAINING");
    expect(advice.reason).toMatch(/goal calls for transfer learning, which needs labelled classes/);
    expect(adviseCustomizationMethod({ "prompt-completion": 2, "continued-pre-training": 1 })).toMatchObject({
      detectedFormat: "mixed",
      reason: expect.stringMatching(/2 prompt-completion, 1 continued-pre-training/),
    });
    expect(adviseCustomizationMethod({ other: 5 }).recommendedMethod).toBeUndefined();
    expect(adviseCustomizationMethod({}).detectedFormat).toBe("empty");
    expect(methodForGoal("teach it our legal jargon")).toBe("CONTINUED_PRE_TRAINING");
  });
});
