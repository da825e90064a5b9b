// The model catalog: the real Bedrock models (a data file with their true metadata) and the local models
// registered in the database, behind one lookup. Every entry says how it can be served.
import type { FoundationModelSummary } from "../protocol/generated/bedrock-types.js";
import type { CatalogModel, ServedBy } from "../protocol/generated/strata-types.js";
import type { BedrockModelEntry } from "./bedrock-catalog/bedrock-model-entry.js";
import type { LocalModel, LocalModelRegistry } from "./local-model-registry.js";

export interface CatalogFilters {
  byProvider?: string;
  byCustomizationType?: string;
  byOutputModality?: string;
  byInferenceType?: string;
  byServedBy?: ServedBy;
}

export interface CatalogEntry {
  model: CatalogModel;
  summary: FoundationModelSummary;
}

export interface CatalogOptions {
  region: string;
  bedrockModels: readonly BedrockModelEntry[];
  localModels: LocalModelRegistry;
  /** True when real AWS credentials are configured for pass-through to Bedrock. */
  passThroughConfigured: boolean;
  /** Bedrock model id → the local model that serves it offline. */
  aliases?: Readonly<Record<string, string>>;
}

export function foundationModelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** Accepts a model id or a foundation-model ARN (any region, as Bedrock does for its own ARNs). */
export function modelIdFromIdentifier(identifier: string): string {
  const arn = /^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]*::foundation-model\/(.+)$/.exec(identifier);
  return arn?.[2] ?? identifier;
}

/** Provisioned throughput's measured model unit of a local model, once measured on this host. */
export type ModelUnitSource = (local: LocalModel) => Record<string, unknown> | undefined;

export class Catalog {
  /** The Bedrock entries never change while the server runs: build them once. */
  private readonly bedrockEntries: ReadonlyMap<string, CatalogEntry>;
  private modelUnitOf: ModelUnitSource = () => undefined;

  constructor(private readonly options: CatalogOptions) {
    this.bedrockEntries = new Map(
      options.bedrockModels.map((model) => [model.modelId, this.fromBedrock(model)]),
    );
  }

  /** Set once provisioned throughput's meter exists (it needs the engine, made after the catalog). */
  showModelUnits(source: ModelUnitSource): void {
    this.modelUnitOf = source;
  }

  async list(filters: CatalogFilters = {}): Promise<CatalogEntry[]> {
    const entries = await this.all();
    return entries.filter((entry) => matches(entry, filters));
  }

  async get(identifier: string): Promise<CatalogEntry | undefined> {
    // An imported model answers to its imported-model ARN as well as to local.<name> (one record).
    const importedModelId =
      /^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:\d{12}:imported-model\/([a-z0-9]{12})$/.exec(identifier)?.[2];
    if (importedModelId) {
      const imported = await this.options.localModels.findByImportedModelId(importedModelId);
      return imported ? this.fromLocal(imported) : undefined;
    }
    const modelId = modelIdFromIdentifier(identifier);
    const local = await this.options.localModels.find(modelId);
    if (local) return this.fromLocal(local);
    return this.bedrockEntries.get(modelId);
  }

  private async all(): Promise<CatalogEntry[]> {
    const local = await this.options.localModels.list();
    return [...this.bedrockEntries.values(), ...local.map((model) => this.fromLocal(model))];
  }

  private fromBedrock(entry: BedrockModelEntry): CatalogEntry {
    const standIn = this.options.aliases?.[entry.modelId];
    const servedBy: ServedBy = standIn
      ? "LOCAL_ENGINE"
      : this.options.passThroughConfigured
        ? "PASS_THROUGH"
        : "CATALOG_ONLY";
    const summary: FoundationModelSummary = {
      modelArn: foundationModelArn(this.options.region, entry.modelId),
      modelId: entry.modelId,
      modelName: entry.modelName,
      providerName: entry.providerName,
      inputModalities: entry.inputModalities as FoundationModelSummary["inputModalities"],
      outputModalities: entry.outputModalities as FoundationModelSummary["outputModalities"],
      ...(entry.responseStreamingSupported === undefined
        ? {}
        : { responseStreamingSupported: entry.responseStreamingSupported }),
      customizationsSupported:
        entry.customizationsSupported as FoundationModelSummary["customizationsSupported"],
      inferenceTypesSupported:
        entry.inferenceTypesSupported as FoundationModelSummary["inferenceTypesSupported"],
      modelLifecycle: lifecycleOf(entry.modelLifecycle),
    };
    const model: CatalogModel = {
      ...catalogFields(summary),
      servedBy,
      servedByDetail: standIn
        ? `Served offline by ${standIn} (alias); the native request bodies of this model's family are accepted.`
        : servedBy === "PASS_THROUGH"
          ? "Forwarded to Amazon Bedrock with the configured AWS credentials."
          : "Catalog only: configure AWS credentials for pass-through to Bedrock, or an alias that serves this id with a local model.",
      ...(entry.contextWindowTokens === undefined ? {} : { contextWindowTokens: entry.contextWindowTokens }),
      ...(entry.maxOutputTokens === undefined ? {} : { maxOutputTokens: entry.maxOutputTokens }),
      ...(entry.capabilities === undefined ? {} : { capabilities: entry.capabilities }),
      ...(entry.pricing === undefined ? {} : { pricing: entry.pricing }),
    };
    return { model, summary };
  }

  private fromLocal(local: LocalModel): CatalogEntry {
    const summary: FoundationModelSummary = {
      modelArn: foundationModelArn(this.options.region, local.modelId),
      modelId: local.modelId,
      modelName: local.modelName,
      providerName: local.providerName,
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
      customizationsSupported: local.trainerSupported ? ["FINE_TUNING", "CONTINUED_PRE_TRAINING"] : [],
      inferenceTypesSupported: ["ON_DEMAND", "PROVISIONED"],
      modelLifecycle: { status: "ACTIVE" },
    };
    const model: CatalogModel = {
      ...catalogFields(summary),
      servedBy: "LOCAL_ENGINE",
      servedByDetail: "Served on this host by llama.cpp.",
      contextWindowTokens: local.contextLength,
      localModel: {
        source: local.source,
        architecture: local.architecture,
        parameterCount: local.parameterCount,
        contextLength: local.contextLength,
        quantization: local.quantization,
        trainerSupported: local.trainerSupported,
        hasChatTemplate: local.chatTemplate !== undefined,
        fileSizeBytes: local.fileSizeBytes,
        creationTime: local.creationTime,
      },
    };
    const modelUnit = this.modelUnitOf(local);
    if (modelUnit) model.modelUnit = modelUnit;
    return { model, summary };
  }
}

function lifecycleOf(
  lifecycle: BedrockModelEntry["modelLifecycle"],
): FoundationModelSummary["modelLifecycle"] {
  const result: Record<string, unknown> = { status: lifecycle.status };
  for (const key of ["startOfLifeTime", "endOfLifeTime", "legacyTime", "publicExtendedAccessTime"] as const) {
    const value = lifecycle[key];
    if (value !== undefined) result[key] = new Date(value);
  }
  return result as unknown as FoundationModelSummary["modelLifecycle"];
}

function catalogFields(summary: FoundationModelSummary) {
  return {
    modelId: summary.modelId,
    modelArn: summary.modelArn,
    ...(summary.modelName ? { modelName: summary.modelName } : {}),
    providerName: summary.providerName ?? "",
    inputModalities: summary.inputModalities ?? [],
    outputModalities: summary.outputModalities ?? [],
    ...(summary.responseStreamingSupported === undefined
      ? {}
      : { responseStreamingSupported: summary.responseStreamingSupported }),
    customizationsSupported: summary.customizationsSupported ?? [],
    inferenceTypesSupported: summary.inferenceTypesSupported ?? [],
    lifecycleStatus: summary.modelLifecycle?.status ?? "ACTIVE",
  };
}

function matches(entry: CatalogEntry, filters: CatalogFilters): boolean {
  const { model } = entry;
  if (filters.byProvider && model.providerName.toLowerCase() !== filters.byProvider.toLowerCase())
    return false;
  if (filters.byCustomizationType && !model.customizationsSupported.includes(filters.byCustomizationType))
    return false;
  if (filters.byOutputModality && !model.outputModalities.includes(filters.byOutputModality)) return false;
  if (filters.byInferenceType && !model.inferenceTypesSupported.includes(filters.byInferenceType))
    return false;
  if (filters.byServedBy && model.servedBy !== filters.byServedBy) return false;
  return true;
}
