import type { Catalog, CatalogEntry } from "../catalog/catalog.js";
import { type LocalModelRegistry, localModelFilePath } from "../catalog/local-model-registry.js";
import { AccessDeniedException, ValidationException } from "../protocol/aws-errors.js";
import type { EngineModel } from "./engine/inference-engine.js";

export type RuntimeTarget =
  /** Served here. `entry` is what the caller asked for (a Bedrock entry when an alias stands in). */
  | { kind: "local"; entry: CatalogEntry; engineModel: EngineModel; standInFor?: string }
  | { kind: "pass-through"; entry: CatalogEntry; bedrockModelId: string };

/**
 * Model ids the catalog does not hold: provisioned throughputs (served on their reserved capacity) and custom
 * models (refused on demand, with what to do instead). Undefined when the id names neither.
 */
export interface ReservedModelResolver {
  resolve(modelId: string): Promise<Extract<RuntimeTarget, { kind: "local" }> | undefined>;
  /** Synchronous: whether the id names a provisioned throughput this server has ready (quotas skip them). */
  isReserved(modelId: string): boolean;
  /** Refuses (ThrottlingException) when the model's on-demand queue is full, before a stream's 200 goes out. */
  assertOnDemandAdmissible(engineModel: EngineModel): void;
}

export class RuntimeModelResolver {
  constructor(
    private readonly options: {
      catalog: Catalog;
      registry: LocalModelRegistry;
      dataDirectory: string;
      /** Bedrock model id → local model id that serves it offline. */
      aliases: Readonly<Record<string, string>>;
      passThroughConfigured: boolean;
      reserved?: ReservedModelResolver;
    },
  ) {}

  /** Whether the id names something served on reserved capacity (a provisioned throughput). */
  isReserved(modelId: string): boolean {
    return this.options.reserved?.isReserved(modelId) ?? false;
  }

  async resolve(modelId: string): Promise<RuntimeTarget> {
    const reserved = await this.options.reserved?.resolve(modelId);
    if (reserved) return reserved;
    const entry = await this.options.catalog.get(modelId);
    if (!entry) throw new ValidationException("The provided model identifier is invalid.");
    const standIn = this.options.aliases[entry.model.modelId];
    const localId = standIn ?? (entry.model.servedBy === "LOCAL_ENGINE" ? entry.model.modelId : undefined);
    if (localId) {
      const local = await this.options.registry.find(localId);
      if (!local) {
        throw new ValidationException(
          `The alias for ${entry.model.modelId} names ${localId}, which is not a local model.`,
        );
      }
      const filePath = localModelFilePath(this.options.dataDirectory, local);
      this.options.reserved?.assertOnDemandAdmissible({ modelId: local.modelId, filePath });
      return {
        kind: "local",
        entry,
        engineModel: { modelId: local.modelId, filePath },
        ...(standIn ? { standInFor: entry.model.modelId } : {}),
      };
    }
    if (this.options.passThroughConfigured) {
      return { kind: "pass-through", entry, bedrockModelId: entry.model.modelId };
    }
    throw new AccessDeniedException(
      `You don't have access to the model with the specified model ID ${entry.model.modelId}: it is in Strata's catalog only. ` +
        "Configure AWS credentials for pass-through to Amazon Bedrock, or an alias that serves this id with a local model.",
    );
  }
}

/** What a request carries that not every model takes. */
export interface RequestedCapabilities {
  image?: boolean;
  document?: boolean;
  video?: boolean;
  streaming?: boolean;
  tools?: boolean;
}

/** Capabilities enforced from the catalog, with messages that name the model and what it lacks. */
export function assertCapabilities(entry: CatalogEntry, requested: RequestedCapabilities): void {
  const { model } = entry;
  const modalities = model.inputModalities;
  for (const [kind, modality] of [
    ["image", "IMAGE"],
    ["video", "VIDEO"],
  ] as const) {
    if (requested[kind] && !modalities.includes(modality)) {
      throw new ValidationException(
        `The model ${model.modelId} does not accept ${modality} input: its input modalities are ${modalities.join(", ")}.`,
      );
    }
  }
  const capabilities = (model.capabilities ?? {}) as { documentInput?: boolean };
  if (requested.document && model.servedBy !== "LOCAL_ENGINE" && capabilities.documentInput !== true) {
    throw new ValidationException(`The model ${model.modelId} does not accept document input.`);
  }
  if (requested.document && model.servedBy === "LOCAL_ENGINE") {
    throw new ValidationException(
      `The model ${model.modelId} does not accept document input: local models take text only.`,
    );
  }
  if (requested.streaming && model.responseStreamingSupported === false) {
    throw new ValidationException(`The model ${model.modelId} is unsupported for streaming.`);
  }
}
