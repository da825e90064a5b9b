// The composition root of `strata serve`: configuration in, a running server out. Opens the database, makes
// first-start credentials, starts the embedded S3 endpoint, wires the domain services to their operations
// and listens on one port for HTTP/1.1 and h2c.
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { createAuthenticator } from "../auth/authenticate-request.js";
import { KeyStore } from "../auth/key-store.js";
import { createKey } from "../auth/operations/create-key.js";
import { listKeys } from "../auth/operations/list-keys.js";
import { revokeKey } from "../auth/operations/revoke-key.js";
import { loadBedrockModels } from "../catalog/bedrock-catalog/bedrock-model-entry.js";
import { loadBuiltinModels } from "../catalog/builtin-models.js";
import { Catalog, foundationModelArn } from "../catalog/catalog.js";
import { LocalModelRegistry } from "../catalog/local-model-registry.js";
import { getCatalogModel } from "../catalog/operations/get-catalog-model.js";
import { getFoundationModel } from "../catalog/operations/get-foundation-model.js";
import { listCatalogModels } from "../catalog/operations/list-catalog-models.js";
import { listFoundationModels } from "../catalog/operations/list-foundation-models.js";
import { refreshTrainerSupport } from "../catalog/refresh-trainer-support.js";
import { compareModelsOperation } from "../compare/operations/compare-models-operation.js";
import type { StrataConfig } from "../config/strata-config.js";
import { type Customization, createCustomization } from "../customization/create-customization.js";
import type { CustomModelInUse } from "../customization/customization-service.js";
import type { CustomModelGate } from "../customization/jobs/custom-model-gate.js";
import { datasetStoreOperations } from "../customization/operations/dataset-store-operations.js";
import { createEvaluation, createEvaluationGate, type Evaluation } from "../evaluation/create-evaluation.js";
import { converseOperations } from "../inference/converse/converse-operations.js";
import type { InferenceEngine } from "../inference/engine/inference-engine.js";
import { LlamaCppEngine } from "../inference/engine/llama-cpp-engine.js";
import { invokeModelOperations } from "../inference/operations/invoke-model-operations.js";
import { BedrockPassThrough } from "../inference/pass-through/bedrock-pass-through.js";
import { RuntimeModelResolver } from "../inference/resolve-runtime-model.js";
import type { RuntimeServices } from "../inference/runtime-services.js";
import { describeError, type Logger } from "../logging/logger.js";
import { ModelImportJobStore } from "../model-import/model-import-job-store.js";
import { ModelImportRunner } from "../model-import/model-import-runner.js";
import { ModelImportService } from "../model-import/model-import-service.js";
import { createModel } from "../model-import/operations/create-model.js";
import { modelImportOperations } from "../model-import/operations/model-import-operations.js";
import { quantizeModel } from "../model-import/operations/quantize-model.js";
import { modelsDirectoryName } from "../model-import/register-gguf-model.js";
import { createOpenAiHandler, openAiPathPrefix } from "../openai/create-openai-handler.js";
import { PretrainingJobRunner } from "../pretraining/jobs/pretraining-job-runner.js";
import { PretrainingJobStore } from "../pretraining/jobs/pretraining-job-store.js";
import { pretrainingOperations } from "../pretraining/jobs/pretraining-operations.js";
import { createDispatcher } from "../protocol/dispatcher.js";
import { bedrockService } from "../protocol/generated/bedrock.js";
import { bedrockRuntimeService } from "../protocol/generated/bedrock-runtime.js";
import { strataService } from "../protocol/generated/strata.js";
import {
  createProvisionedThroughput,
  type ProvisionedThroughput,
} from "../provisioned-throughput/create-provisioned-throughput.js";
import { IsolatingEngine } from "../provisioned-throughput/isolation/isolating-engine.js";
import { openDatabase } from "../storage/database/open-database.js";
import { type EmbeddedS3, startEmbeddedS3 } from "../storage/embedded-s3/start-embedded-s3.js";
import { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import { createTransferLearning } from "../transfer-learning/create-transfer-learning.js";
import { usageReportOperation } from "../usage/operations/get-usage-report.js";
import { usageOperations } from "../usage/operations/usage-operations.js";
import { pricesFromCatalog } from "../usage/price-invocation.js";
import { UsageLedger } from "../usage/usage-ledger.js";
import { createConsoleHandler, defaultConsoleDirectory, isConsoleRequest } from "./console-static-files.js";
import { ensureFirstStartCredentials, type FirstStartResult } from "./first-start.js";
import { createHttpRequestHandler } from "./http-request-handler.js";
import { listenOnePort } from "./one-port-server.js";
import { getServiceInfo } from "./operations/get-service-info.js";

export interface RunningStrata {
  apiUrl: string;
  s3Url: string;
  config: StrataConfig;
  firstStart: FirstStartResult;
  localModels: LocalModelRegistry;
  keyStore: KeyStore;
  objectStores: ObjectStoreResolver;
  importRunner: ModelImportRunner;
  pretrainingRunner: PretrainingJobRunner;
  customization: Customization;
  provisionedThroughput: ProvisionedThroughput;
  runtime: RuntimeServices;
  evaluation: Evaluation;
  close(): Promise<void>;
}

/** Seams for tests and embedders: a different engine behind the same narrow interface. */
export interface StrataOverrides {
  engine?: (real: InferenceEngine) => InferenceEngine;
  /** Whether a custom model is in use (DeleteCustomModel refuses then); the provisioned-throughput issue's hook. */
  customModelInUse?: CustomModelInUse;
  /** The built web console served under /console/ (default: dist/console/ of this checkout). */
  consoleDirectory?: string;
}

export async function startStrata(
  config: StrataConfig,
  logger: Logger,
  overrides: StrataOverrides = {},
): Promise<RunningStrata> {
  mkdirSync(config.dataDirectory, { recursive: true, mode: 0o700 });
  const { database, close: closeDatabase } = await openDatabase(join(config.dataDirectory, "strata.db"));
  const closers: (() => Promise<void>)[] = [closeDatabase];
  try {
    const keyStore = await KeyStore.open(database);
    const bedrockModels = loadBedrockModels();
    const prices = pricesFromCatalog(bedrockModels);
    const usage = new UsageLedger({ database, prices, logger });
    // Runs after the server has closed (closers run in reverse order of registration) and before the database.
    closers.unshift(() => usage.close());
    const firstStart = await ensureFirstStartCredentials(keyStore, config.dataDirectory);

    let embeddedS3: EmbeddedS3 | undefined;
    if (config.objectStore.kind === "embedded") {
      embeddedS3 = await startEmbeddedS3({
        host: config.objectStore.host,
        port: config.objectStore.port,
        directory: join(config.dataDirectory, "objects"),
        bucket: config.objectStore.bucket,
        lookupAccessKey: keyStore.lookupAccessKey,
        log: (entry) => logger.info("s3 request", entry),
      });
      closers.unshift(() => embeddedS3?.close() ?? Promise.resolve());
    }

    const objectStores = await objectStoreResolverFor(config, keyStore, embeddedS3);
    closers.unshift(async () => objectStores.destroy());
    mkdirSync(join(config.dataDirectory, modelsDirectoryName), { recursive: true });

    const localModels = new LocalModelRegistry(
      database,
      config.builtinModels ? await loadBuiltinModels() : [],
    );
    await refreshTrainerSupport(localModels, config.dataDirectory, logger);
    // Reservations are made after the engine; deleting a model they use asks them through late-bound hooks.
    let provisioned: ProvisionedThroughput | undefined;
    const importJobs = new ModelImportJobStore(database);
    const importRunner = new ModelImportRunner({
      dataDirectory: config.dataDirectory,
      jobs: importJobs,
      registry: localModels,
      objectStores,
      logger,
    });
    closers.unshift(() => importRunner.settled());
    const modelImports = new ModelImportService({
      dataDirectory: config.dataDirectory,
      jobs: importJobs,
      registry: localModels,
      runner: importRunner,
      objectStores,
      // Reservations of the model or of custom models trained from it.
      dependents: async (model) =>
        (await provisioned?.service.usersOfBase(foundationModelArn(config.region, model.modelId))) ?? [],
    });
    const pretrainingJobs = new PretrainingJobStore(database);
    const pretrainingRunner = new PretrainingJobRunner({
      dataDirectory: config.dataDirectory,
      jobs: pretrainingJobs,
      registry: localModels,
      logger,
    });
    closers.unshift(() => pretrainingRunner.shutdown());
    const catalog = new Catalog({
      region: config.region,
      bedrockModels,
      localModels,
      passThroughConfigured: config.passThrough !== undefined,
      aliases: config.aliases,
    });

    // The base-vs-custom gate runs on the engine, which is made below: bound late, like the reservations.
    let evaluationGate: CustomModelGate | undefined;
    const customization = createCustomization({
      config,
      database,
      catalog,
      localModels,
      objectStores,
      logger,
      gate: (request) => {
        if (!evaluationGate) throw new Error("the engine is not ready");
        return evaluationGate(request);
      },
      customModelInUse:
        overrides.customModelInUse ??
        (async (modelArn) => (await provisioned?.service.usersOf(modelArn)) ?? []),
    });
    closers.unshift(() => customization.close());

    const passThrough = config.passThrough ? new BedrockPassThrough(config.passThrough) : undefined;
    closers.unshift(async () => passThrough?.destroy());
    const llamaCppEngine = new LlamaCppEngine({
      logger,
      sequencesPerModel: config.sequencesPerModel,
      onDemandCores: () => provisioned?.service.onDemandCores() ?? availableParallelism(),
    });
    // Reservations' generations run in inference processes pinned to their cores; the rest stays here.
    const isolatingEngine = new IsolatingEngine(llamaCppEngine, {
      logger,
      engine: { sequencesPerModel: config.sequencesPerModel },
    });
    closers.unshift(() => isolatingEngine.dispose());
    provisioned = createProvisionedThroughput({
      config,
      database,
      catalog,
      localModels,
      customModels: customization.customModels,
      engine: isolatingEngine,
      usage,
      logger,
    });
    const reservations = provisioned;
    closers.unshift(() => reservations.service.close());
    const engine = provisioned.gate(overrides.engine ? overrides.engine(isolatingEngine) : isolatingEngine);
    const runtime: RuntimeServices = {
      resolver: new RuntimeModelResolver({
        catalog,
        registry: localModels,
        dataDirectory: config.dataDirectory,
        aliases: config.aliases,
        passThroughConfigured: config.passThrough !== undefined,
        reserved: provisioned.resolver,
      }),
      engine,
      ...(passThrough ? { passThrough } : {}),
      usage: provisioned.quotas.recorder(usage),
      // The OpenAI-compatible API's share of the per-key quotas; the Bedrock runtime's handlers are guarded below.
      admitOnDemand: (callerKeyId, requestId, modelId) =>
        provisioned?.quotas.admitOnDemand(callerKeyId, requestId, modelId, (id) =>
          runtime.resolver.isReserved(id),
        ),
    };
    const arnContext = { region: config.region, accountId: config.accountId };
    evaluationGate = createEvaluationGate({
      engine: llamaCppEngine,
      objectStores,
      context: arnContext,
      threads: config.customization.trainerThreads,
      prices,
    });
    const evaluation = createEvaluation({
      context: arnContext,
      dataDirectory: config.dataDirectory,
      database,
      objectStores,
      generator: engine,
      scorer: isolatingEngine,
      resolver: runtime.resolver,
      prices,
      logger,
      usage,
    });
    // Closes before the engine (closers run in reverse order): a running evaluation stays InProgress and resumes.
    closers.unshift(() => evaluation.close());
    // Registers its job driver with the customization runner, so before interrupted jobs resume below.
    const transferLearning = createTransferLearning({
      config,
      database,
      catalog,
      localModels,
      customization,
      objectStores,
      engine,
      reservations: provisioned.service,
      runtimeResolver: runtime.resolver,
      usage: runtime.usage,
      logger,
    });

    const authenticate = createAuthenticator({
      keyStore,
      authentication: config.authentication,
      signingName: bedrockService.signingName,
    });
    const runtimeOperations = provisioned.quotas.guard(
      { ...converseOperations(runtime), ...invokeModelOperations(runtime) },
      (modelId) => runtime.resolver.isReserved(modelId),
      usage,
    );
    const dispatch = createDispatcher({
      services: [
        {
          model: bedrockService,
          handlers: {
            ListFoundationModels: listFoundationModels(catalog),
            GetFoundationModel: getFoundationModel(catalog),
            ...modelImportOperations(modelImports, { region: config.region, accountId: config.accountId }),
            ...customization.bedrockOperations,
            ...provisioned.bedrockOperations,
            ...evaluation.bedrockOperations,
          },
        },
        {
          model: bedrockRuntimeService,
          handlers: runtimeOperations,
        },
        {
          model: strataService,
          handlers: {
            CreateKey: createKey(keyStore),
            ListKeys: listKeys(keyStore),
            RevokeKey: revokeKey(keyStore),
            ListCatalogModels: listCatalogModels(catalog),
            GetCatalogModel: getCatalogModel(catalog),
            ...usageOperations(usage),
            GetUsageReport: usageReportOperation(
              {
                context: { region: config.region, accountId: config.accountId },
                usage,
                database,
                localModels,
                customModels: customization.customModels,
                pretrainingJobs,
              },
              { prices, localTrainingPricePer1kTokens: config.customization.localTrainingPricePer1kTokens },
            ),
            CompareModels: compareModelsOperation(runtimeOperations, {
              resolver: runtime.resolver,
              catalog,
              engine,
              prices,
              parameterCountOf: async (modelId) => (await localModels.find(modelId))?.parameterCount,
            }),
            GetServiceInfo: getServiceInfo(config, () => embeddedS3?.url ?? ""),
            ...datasetStoreOperations(objectStores),
            QuantizeModel: quantizeModel({
              dataDirectory: config.dataDirectory,
              registry: localModels,
              catalog,
            }),
            CreateModel: createModel({
              dataDirectory: config.dataDirectory,
              registry: localModels,
              catalog,
              objectStores,
            }),
            ...customization.strataOperations,
            ...provisioned.strataOperations,
            ...evaluation.strataOperations,
            ...transferLearning.strataOperations,
            ...pretrainingOperations({
              jobs: pretrainingJobs,
              runner: pretrainingRunner,
              registry: localModels,
              context: { region: config.region, accountId: config.accountId },
            }),
          },
        },
      ],
      authenticate,
      onUnexpectedError: (error, request, operationName) =>
        logger.error("unexpected error", {
          requestId: request.requestId,
          operation: operationName,
          ...describeError(error),
        }),
    });

    const openAi = createOpenAiHandler({ runtime, catalog, authenticate, logger });
    // The web console: static files of the public API's own client; the API authenticates what it sends.
    const consoleFiles = createConsoleHandler({
      directory: overrides.consoleDirectory ?? defaultConsoleDirectory(),
    });
    const server = await listenOnePort({
      host: config.host,
      port: config.port,
      listener: createHttpRequestHandler({
        // The OpenAI-compatible API lives under /v1/; everything else speaks the AWS protocol.
        handle: (request) =>
          isConsoleRequest(request)
            ? consoleFiles(request)
            : request.rawPath.startsWith(openAiPathPrefix)
              ? openAi(request)
              : dispatch(request),
        maxRequestBodyBytes: config.maxRequestBodyBytes,
        logger,
      }),
    });
    closers.unshift(() => server.close());
    await importRunner.resumeInterruptedJobs();
    await customization.runner.resumeInterruptedJobs();
    await pretrainingRunner.resumeInterruptedJobs();
    await provisioned.service.resumeAtStart();
    await evaluation.runner.resumeInterruptedJobs();

    const s3Url =
      config.objectStore.kind === "embedded"
        ? (embeddedS3?.url ?? "")
        : (config.objectStore.endpoint ?? `https://s3.${config.objectStore.region}.amazonaws.com`);
    return {
      apiUrl: `http://${urlHost(config.host)}:${server.port}`,
      s3Url,
      config,
      firstStart,
      localModels,
      keyStore,
      objectStores,
      importRunner,
      pretrainingRunner,
      customization,
      provisionedThroughput: provisioned,
      runtime,
      evaluation,
      close: async () => {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

async function objectStoreResolverFor(
  config: StrataConfig,
  keyStore: KeyStore,
  embeddedS3: EmbeddedS3 | undefined,
): Promise<ObjectStoreResolver> {
  if (config.objectStore.kind === "embedded") {
    return new ObjectStoreResolver(
      {
        endpoint: embeddedS3?.url ?? "",
        region: config.region,
        credentials: await keyStore.internalAccessKey(),
        forcePathStyle: true,
      },
      config.objectStore.bucket,
    );
  }
  const external = config.objectStore;
  return new ObjectStoreResolver(
    {
      ...(external.endpoint ? { endpoint: external.endpoint } : {}),
      region: external.region,
      credentials: {
        accessKeyId: external.accessKeyId ?? "",
        secretAccessKey: external.secretAccessKey ?? "",
      },
      forcePathStyle: external.forcePathStyle,
    },
    external.bucket,
  );
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
