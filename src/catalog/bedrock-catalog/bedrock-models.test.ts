import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BEDROCK_MODEL_ID_PATTERN,
  type BedrockModelEntry,
  BOTOCORE_INFERENCE_TYPES,
  BOTOCORE_MODEL_CUSTOMIZATIONS,
  BOTOCORE_MODEL_MODALITIES,
  bedrockCatalogNotes,
  CONTEXT_VARIANT_SUFFIX,
  EXTRA_INFERENCE_TYPES,
  EXTRA_MODEL_MODALITIES,
  formatCatalogProblems,
  foundationModelArn,
  LIFECYCLE_STATUSES,
  loadBedrockModels,
  parseBedrockModels,
} from "./bedrock-model-entry.js";

interface SmithyShape {
  type: string;
  enum?: string[];
  pattern?: string;
  max?: number;
}

// The botocore/Smithy service model shipped with the repository (same file as shared/spec/aws-models).
const serviceModel = JSON.parse(
  readFileSync(new URL("../../../spec/aws-models/bedrock.json", import.meta.url), "utf8"),
) as { shapes: Record<string, SmithyShape> };

function shapeEnum(name: string): string[] {
  const values = serviceModel.shapes[name]?.enum;
  if (!values) throw new Error(`shape ${name} has no enum in bedrock.json`);
  return values;
}

const models = loadBedrockModels();
const byId = new Map(models.map((m) => [m.modelId, m]));

/** What ListFoundationModels(byCustomizationType=...) returns from this catalog. */
function byCustomizationType(type: string): BedrockModelEntry[] {
  return models.filter((m) => (m.customizationsSupported as string[]).includes(type));
}

function isTextModel(m: BedrockModelEntry): boolean {
  return m.outputModalities.includes("TEXT");
}

describe("bedrock-models.json", () => {
  it("loads and validates", () => {
    expect(models.length).toBeGreaterThanOrEqual(30);
  });

  it("has unique model ids that match the service model's BedrockModelId and ARN patterns", () => {
    const ids = models.map((m) => m.modelId);
    expect(new Set(ids).size).toBe(ids.length);
    const idShape = serviceModel.shapes.BedrockModelId;
    const arnShape = serviceModel.shapes.FoundationModelArn;
    expect(idShape?.pattern).toBeDefined();
    expect(arnShape?.pattern).toBeDefined();
    const idPattern = new RegExp(`^(?:${idShape?.pattern})$`);
    const arnPattern = new RegExp(`^(?:${arnShape?.pattern})$`);
    // The exported constant is the same pattern, anchored.
    expect(BEDROCK_MODEL_ID_PATTERN.source).toBe(`^${idShape?.pattern?.replace("/", "\\/")}$`);
    for (const id of ids) {
      expect(id, id).toMatch(idPattern);
      expect(id.length, id).toBeLessThanOrEqual(idShape?.max ?? 140);
      expect(foundationModelArn(id, "us-east-1"), id).toMatch(arnPattern);
    }
  });

  it("mirrors the botocore enums and documents the extras", () => {
    expect([...BOTOCORE_MODEL_MODALITIES]).toEqual(shapeEnum("ModelModality"));
    expect([...BOTOCORE_MODEL_CUSTOMIZATIONS]).toEqual(shapeEnum("ModelCustomization"));
    expect([...BOTOCORE_INFERENCE_TYPES]).toEqual(shapeEnum("InferenceType"));
    expect([...LIFECYCLE_STATUSES]).toEqual(shapeEnum("FoundationModelLifecycleStatus"));
    // The extras really are outside the model's enums, and the file explains them.
    const notes = bedrockCatalogNotes().join("\n");
    for (const extra of EXTRA_MODEL_MODALITIES) {
      expect(shapeEnum("ModelModality")).not.toContain(extra);
      expect(notes).toContain(extra);
    }
    for (const extra of EXTRA_INFERENCE_TYPES) {
      expect(shapeEnum("InferenceType")).not.toContain(extra);
      expect(notes).toContain(extra);
    }
  });

  it("uses only botocore enum values or the documented extras", () => {
    const modalities = new Set<string>([...shapeEnum("ModelModality"), ...EXTRA_MODEL_MODALITIES]);
    const customizations = new Set<string>(shapeEnum("ModelCustomization"));
    const inferenceTypes = new Set<string>([...shapeEnum("InferenceType"), ...EXTRA_INFERENCE_TYPES]);
    const statuses = new Set<string>(shapeEnum("FoundationModelLifecycleStatus"));
    for (const m of models) {
      for (const v of [...m.inputModalities, ...m.outputModalities])
        expect(modalities, m.modelId).toContain(v);
      for (const v of m.customizationsSupported) expect(customizations, m.modelId).toContain(v);
      for (const v of m.inferenceTypesSupported) expect(inferenceTypes, m.modelId).toContain(v);
      expect(statuses, m.modelId).toContain(m.modelLifecycle.status);
    }
  });

  it("byCustomizationType=FINE_TUNING yields only context variants or provisionable customizable ids", () => {
    const fineTunable = byCustomizationType("FINE_TUNING");
    expect(fineTunable.map((m) => m.modelId)).toEqual(
      expect.arrayContaining([
        "amazon.titan-text-express-v1:0:8k",
        "amazon.titan-text-lite-v1:0:4k",
        "anthropic.claude-3-haiku-20240307-v1:0:200k",
        "amazon.nova-micro-v1:0:128k",
        "amazon.nova-lite-v1:0:300k",
        "amazon.nova-pro-v1:0:300k",
      ]),
    );
    for (const m of fineTunable) {
      const suffixed = CONTEXT_VARIANT_SUFFIX.test(m.modelId);
      // A plain id may list a customization only if its custom models can run on Provisioned
      // Throughput (Nova Canvas); plain on-demand text ids never do.
      expect(suffixed || m.inferenceTypesSupported.includes("PROVISIONED"), m.modelId).toBe(true);
    }
    for (const type of ["CONTINUED_PRE_TRAINING", "DISTILLATION"]) {
      for (const m of byCustomizationType(type)) expect(m.modelId).toMatch(CONTEXT_VARIANT_SUFFIX);
    }
  });

  it("keeps the on-demand / :ctx variant convention", () => {
    for (const m of models) {
      if (CONTEXT_VARIANT_SUFFIX.test(m.modelId)) {
        expect(m.inferenceTypesSupported, m.modelId).toEqual(["PROVISIONED"]);
        expect(m.pricing.onDemand, m.modelId).toBeNull();
        // The variant's base id is in the catalog too.
        const base = m.modelId.replace(/:[0-9]+k$/, "").replace(/^(amazon\.titan-text-[a-z]+-v1):0$/, "$1");
        expect(byId.has(base), `${m.modelId} -> ${base}`).toBe(true);
      } else if (isTextModel(m)) {
        expect(m.customizationsSupported, m.modelId).toEqual([]);
        expect(m.inferenceTypesSupported, m.modelId).not.toContain("PROVISIONED");
      }
    }
  });

  it("gives source, date and currency for every priced model, and a reason where there is no price", () => {
    for (const m of models) {
      const price = m.pricing.onDemand;
      if (price === null) {
        expect(m.pricing.reason, m.modelId).toBeTruthy();
        continue;
      }
      expect(price.source.length, m.modelId).toBeGreaterThan(10);
      expect(price.asOf, m.modelId).toBeTruthy();
      expect(price.currency).toBe("USD");
      if (isTextModel(m)) {
        expect(price.inputPer1kTokens, m.modelId).toBeGreaterThan(0);
        expect(price.outputPer1kTokens, m.modelId).toBeGreaterThan(0);
      }
      if (price.confidence === "verified") expect(price.asOf, m.modelId).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Every on-demand text model has a price.
    for (const m of models.filter((x) => isTextModel(x) && !CONTEXT_VARIANT_SUFFIX.test(x.modelId))) {
      expect(m.pricing.onDemand, m.modelId).not.toBeNull();
    }
  });

  it("omits responseStreamingSupported for image and video models, as real responses do", () => {
    for (const m of models) {
      const creative = m.outputModalities.includes("IMAGE") || m.outputModalities.includes("VIDEO");
      if (creative) expect(m.responseStreamingSupported, m.modelId).toBeUndefined();
      if (isTextModel(m)) expect(m.responseStreamingSupported, m.modelId).toBe(true);
    }
  });

  it("keeps capabilities consistent with modalities", () => {
    for (const m of models) {
      expect(m.capabilities.imageInput, m.modelId).toBe(m.inputModalities.includes("IMAGE"));
      expect(m.capabilities.videoInput, m.modelId).toBe(m.inputModalities.includes("VIDEO"));
      if (!isTextModel(m)) {
        expect(m.capabilities.toolUse, m.modelId).toBe(false);
        expect(m.capabilities.systemPrompt, m.modelId).toBe(false);
      }
      if (m.maxOutputTokens !== undefined && m.contextWindowTokens !== undefined) {
        expect(m.maxOutputTokens, m.modelId).toBeLessThanOrEqual(m.contextWindowTokens);
      }
    }
  });

  it("contains the required models", () => {
    const required = [
      "anthropic.claude-3-5-haiku-20241022-v1:0",
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
      "anthropic.claude-3-5-sonnet-20241022-v2:0",
      "anthropic.claude-3-haiku-20240307-v1:0",
      "anthropic.claude-3-haiku-20240307-v1:0:200k",
      "anthropic.claude-3-haiku-20240307-v1:0:48k",
      "amazon.nova-micro-v1:0",
      "amazon.nova-micro-v1:0:128k",
      "amazon.nova-lite-v1:0",
      "amazon.nova-lite-v1:0:300k",
      "amazon.nova-pro-v1:0",
      "amazon.nova-pro-v1:0:300k",
      "amazon.nova-reel-v1:0",
      "amazon.nova-canvas-v1:0",
      "amazon.titan-text-express-v1",
      "amazon.titan-text-express-v1:0:8k",
      "amazon.titan-text-lite-v1",
      "amazon.titan-text-lite-v1:0:4k",
      "amazon.titan-embed-text-v2:0",
      "meta.llama3-1-8b-instruct-v1:0",
      "meta.llama3-1-70b-instruct-v1:0",
      "meta.llama3-2-1b-instruct-v1:0",
      "meta.llama3-2-3b-instruct-v1:0",
      "deepseek.r1-v1:0",
      "mistral.mistral-7b-instruct-v0:2",
      "mistral.mistral-large-2402-v1:0",
      "stability.sd3-5-large-v1:0",
      "stability.stable-image-ultra-v1:1",
      "cohere.command-r-v1:0",
    ];
    for (const id of required) expect(byId.has(id), id).toBe(true);
    expect(byId.get("amazon.nova-reel-v1:0")?.outputModalities).toEqual(["VIDEO"]);
    expect(byId.get("amazon.nova-pro-v1:0")?.inputModalities).toContain("VIDEO");
    expect(byId.get("amazon.titan-embed-text-v2:0")?.outputModalities).toEqual(["EMBEDDING"]);
  });

  it("returns fresh copies on each load", () => {
    const a = loadBedrockModels();
    (a[0] as BedrockModelEntry).modelName = "changed";
    expect(loadBedrockModels()[0]?.modelName).not.toBe("changed");
  });
});

describe("parseBedrockModels", () => {
  const good = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(loadBedrockModels()[0])) as Record<string, unknown>;

  it("reports problems with the entry index and field", () => {
    const badId = { ...good(), modelId: "Not A Model Id" };
    const badEnum = { ...good(), modelId: "amazon.other-v1:0", inputModalities: ["TEXT", "AUDIO"] };
    const extraField = { ...good(), modelId: "amazon.third-v1:0", modelArn: "arn:aws:bedrock:..." };
    const noReason = { ...good(), modelId: "amazon.fourth-v1:0", pricing: { onDemand: null } };
    const noSource = {
      ...good(),
      modelId: "amazon.fifth-v1:0",
      pricing: {
        onDemand: {
          currency: "USD",
          region: "us-east-1",
          inputPer1kTokens: 1,
          asOf: "2025-01-01",
          confidence: "verified",
        },
      },
    };
    const dup = good();
    const { problems, models: parsed } = parseBedrockModels({
      models: [good(), badId, badEnum, extraField, noReason, noSource, dup],
    });
    const at = (index: number) => problems.filter((p) => p.index === index).map((p) => p.field);
    expect(at(0)).toEqual([]);
    expect(at(1)).toContain("modelId");
    expect(at(2)).toContain("inputModalities[1]");
    expect(at(3)).toContain("modelArn");
    expect(at(4)).toContain("pricing.reason");
    expect(at(5)).toContain("pricing.onDemand.source");
    expect(problems.find((p) => p.index === 6)?.message).toMatch(/duplicate of entry 0/);
    expect(parsed).toHaveLength(1);
  });

  it("formats every problem into one message", () => {
    const { problems } = parseBedrockModels({ models: [{ ...good(), modelId: "BAD" }] });
    const message = formatCatalogProblems(problems);
    expect(message).toMatch(/^bedrock-models\.json is invalid \(1 problem\):/);
    expect(message).toContain("entry 0 field modelId");
  });

  it("rejects a document without a models array", () => {
    expect(parseBedrockModels([]).problems[0]?.index).toBe(-1);
    expect(parseBedrockModels({ _notes: [] }).problems[0]?.field).toBe("models");
  });
});
