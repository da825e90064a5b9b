// Provisioned throughput's pieces wired together for the composition root: the reservation service, the
// admission gates in front of the engine, per-key on-demand quotas, the cost ledger and the operations.
import type { Kysely } from "kysely";
import type { Catalog } from "../catalog/catalog.js";
import { type LocalModelRegistry, localModelFilePath } from "../catalog/local-model-registry.js";
import type { StrataConfig } from "../config/strata-config.js";
import type { CustomModelRegistry } from "../customization/custom-models/custom-model-registry.js";
import type {
  InferenceEngine,
  ReservableEngine,
  ScoringEngine,
} from "../inference/engine/inference-engine.js";
import type { Logger } from "../logging/logger.js";
import type { OperationHandler } from "../protocol/dispatcher.js";
import type { StrataDatabase } from "../storage/database/database-schema.js";
import type { UsageLedger } from "../usage/usage-ledger.js";
import { CapacityGates } from "./capacity-gates.js";
import { CostLedger } from "./cost/cost-ledger.js";
import { capacityKeyOf, GatedEngine } from "./gated-engine.js";
import { ModelUnitMeter } from "./model-units.js";
import { OnDemandQuotas } from "./on-demand-quotas.js";
import {
  provisionedThroughputExtensionOperations,
  provisionedThroughputOperations,
} from "./operations/provisioned-throughput-operations.js";
import {
  type ProvisionedThroughputConfig,
  provisionedThroughputConfig,
} from "./provisioned-throughput-config.js";
import { ProvisionedThroughputService } from "./provisioned-throughput-service.js";
import { ProvisionedThroughputStore } from "./provisioned-throughput-store.js";
import { ProvisionedModelResolver } from "./reserved-model-resolver.js";

export interface ProvisionedThroughput {
  config: ProvisionedThroughputConfig;
  service: ProvisionedThroughputService;
  resolver: ProvisionedModelResolver;
  quotas: OnDemandQuotas;
  /**
   * The engine the runtime operations use: every generation (and scoring, where the engine given can score)
   * through its capacity's gate.
   */
  gate(engine: InferenceEngine & Partial<ScoringEngine>): InferenceEngine & ScoringEngine;
  bedrockOperations: Record<string, OperationHandler>;
  strataOperations: Record<string, OperationHandler>;
}

export function createProvisionedThroughput(options: {
  config: StrataConfig;
  database: Kysely<StrataDatabase>;
  catalog: Catalog;
  localModels: LocalModelRegistry;
  customModels: CustomModelRegistry;
  engine: InferenceEngine & ReservableEngine;
  usage: UsageLedger;
  logger: Logger;
}): ProvisionedThroughput {
  const { config } = options;
  const settings = provisionedThroughputConfig(config.provisionedThroughput);
  const context = { region: config.region, accountId: config.accountId };
  const store = new ProvisionedThroughputStore(options.database);
  const gates = new CapacityGates();
  const meter = new ModelUnitMeter(options.engine, settings.unitsPerCore);
  const service = new ProvisionedThroughputService({
    store,
    sources: {
      context,
      dataDirectory: config.dataDirectory,
      catalog: options.catalog,
      localModels: options.localModels,
      customModels: options.customModels,
    },
    catalog: options.catalog,
    engine: options.engine,
    meter,
    gates,
    config: settings,
    logger: options.logger,
  });
  options.catalog.showModelUnits((local) => {
    const unit = meter.known(localModelFilePath(config.dataDirectory, local));
    return unit
      ? {
          tokensPerMinute: unit.tokensPerMinute,
          unitsPerCore: settings.unitsPerCore,
          ...unit.measurement,
          measuredAt: unit.measuredAt.toISOString(),
        }
      : undefined;
  });
  const costs = new CostLedger({ store, usage: options.usage, prices: settings.prices, context });
  return {
    config: settings,
    service,
    resolver: new ProvisionedModelResolver(service, options.customModels, gates),
    quotas: new OnDemandQuotas(settings.onDemandQuota),
    gate: (engine) =>
      new GatedEngine(
        engine,
        gates,
        (model) => {
          const key = capacityKeyOf(model);
          if (gates.load(key)) return;
          gates.define(
            key,
            { sequences: config.sequencesPerModel, queueLength: settings.onDemandQueueLength },
            `on-demand capacity of ${model.modelId}`,
          );
        },
        (model) => service.currentEngineModel(model),
      ),
    bedrockOperations: provisionedThroughputOperations(service, context),
    strataOperations: provisionedThroughputExtensionOperations(service, gates, costs, context),
  };
}
