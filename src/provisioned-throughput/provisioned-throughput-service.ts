// Provisioned throughput: reservations of this host's capacity for one model, priced per model unit and hour.
// A reservation is a dedicated llama.cpp context on the model's shared weights (its own sequences, its own
// whole cores as threads) behind its own admission gate; CapacityPlan decides whether the host can still
// guarantee it. Status: Creating (measuring the model, making the context) → InService; Updating while a new
// model or size is being made ready (the old capacity keeps serving); Failed when it could not be made.
import type { Catalog, CatalogEntry } from "../catalog/catalog.js";
import type { EngineModel, InferenceEngine, ReservableEngine } from "../inference/engine/inference-engine.js";
import { describeError, type Logger } from "../logging/logger.js";
import { newResourceId } from "../model-import/resource-ids.js";
import {
  ConflictException,
  ModelNotReadyException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ValidationException,
} from "../protocol/aws-errors.js";
import type { CapacityGates } from "./capacity-gates.js";
import {
  type HostCapacity,
  hostCapacity,
  onDemandCores,
  planReservation,
  reservationShape,
} from "./capacity-plan.js";
import { commitmentExpiration, termOf } from "./cost/reservation-prices.js";
import { capacityKeyOf } from "./gated-engine.js";
import type { ModelUnit, ModelUnitMeter } from "./model-units.js";
import {
  idFromProvisionedModelArn,
  looksLikeProvisionedModelName,
  provisionedModelArn,
} from "./provisioned-model-arns.js";
import type { ProvisionedThroughputConfig } from "./provisioned-throughput-config.js";
import type {
  CommitmentDuration,
  ProvisionedThroughputStore,
  Reservation,
} from "./provisioned-throughput-store.js";
import {
  findReservableModel,
  type ReservableModel,
  type ReservableModelSources,
} from "./reservable-model.js";
import { TurnTaking } from "./turn-taking.js";

export interface ActiveReservation {
  reservation: Reservation;
  reservable: ReservableModel;
  /** The reservation's engine model: the reservable model on its dedicated capacity. */
  engineModel: EngineModel;
  unit: ModelUnit;
}

export interface CreateReservationRequest {
  provisionedModelName: string;
  modelId: string;
  modelUnits: number;
  commitmentDuration?: CommitmentDuration;
  clientRequestToken?: string;
}

export interface ProvisionedThroughputServiceOptions {
  store: ProvisionedThroughputStore;
  sources: ReservableModelSources;
  catalog: Catalog;
  engine: InferenceEngine & ReservableEngine;
  meter: ModelUnitMeter;
  gates: CapacityGates;
  config: ProvisionedThroughputConfig;
  logger: Logger;
}

export class ProvisionedThroughputService {
  private readonly active = new Map<string, ActiveReservation>();
  /** Activations in progress, awaited at shutdown and by tests. */
  private readonly activating = new Map<string, Promise<void>>();
  private generation = 0;
  readonly host: HostCapacity;

  constructor(private readonly options: ProvisionedThroughputServiceOptions) {
    const { config } = options;
    this.host = hostCapacity(config.hostCores, config.unitsPerCore, config.reservableCores);
  }

  /**
   * Capacity is checked against the stored reservations, then the new size is stored: two requests interleaved
   * between those steps would both be granted the same free cores. Creates and resizes take turns here.
   */
  private readonly capacityChanges = new TurnTaking();

  create(request: CreateReservationRequest): Promise<Reservation> {
    return this.capacityChanges.run(() => this.createNow(request));
  }

  private async createNow(request: CreateReservationRequest): Promise<Reservation> {
    const { store } = this.options;
    if (request.clientRequestToken) {
      const earlier = await store.findByClientRequestToken(request.clientRequestToken);
      if (earlier) return earlier;
    }
    if (!Number.isInteger(request.modelUnits) || request.modelUnits < 1) {
      throw new ValidationException(
        `modelUnits must be a whole number of at least 1; it was ${request.modelUnits}.`,
      );
    }
    assertName(request.provisionedModelName, "provisionedModelName");
    if (await store.findByName(request.provisionedModelName)) {
      throw new ValidationException(
        `A provisioned throughput named ${request.provisionedModelName} already exists; choose another provisionedModelName.`,
      );
    }
    const reservable = await findReservableModel(this.options.sources, request.modelId);
    this.grant(request.modelUnits, await this.heldCores());
    const now = new Date();
    const reservation: Reservation = {
      provisionedModelId: newResourceId(),
      provisionedModelName: request.provisionedModelName,
      modelArn: reservable.modelArn,
      desiredModelArn: reservable.modelArn,
      foundationModelArn: reservable.foundationModelArn,
      modelUnits: request.modelUnits,
      desiredModelUnits: request.modelUnits,
      status: "Creating",
      ...(request.commitmentDuration
        ? {
            commitmentDuration: request.commitmentDuration,
            commitmentExpirationTime: commitmentExpiration(now, request.commitmentDuration),
          }
        : {}),
      ...(request.clientRequestToken ? { clientRequestToken: request.clientRequestToken } : {}),
      creationTime: now,
      lastModifiedTime: now,
    };
    await store.insert(reservation, {
      ...this.billing(reservation.modelArn, request.modelUnits, request.commitmentDuration),
      startedAt: now,
    });
    this.startActivation(reservation, reservable, request.modelUnits, async () => {
      await store.update(reservation.provisionedModelId, { status: "InService" });
    });
    return reservation;
  }

  /** By provisioned-model ARN or name. */
  async get(identifier: string): Promise<Reservation> {
    const reservation = await this.find(identifier);
    if (!reservation) throw new ResourceNotFoundException(`No provisioned throughput ${identifier}.`);
    return reservation;
  }

  list(): Promise<Reservation[]> {
    return this.options.store.list();
  }

  /** Bedrock's UpdateProvisionedModelThroughput: a new name, and/or another model of the same base. */
  async update(identifier: string, changes: { name?: string; modelId?: string }): Promise<void> {
    const reservation = await this.get(identifier);
    const { store } = this.options;
    if (changes.name && changes.name !== reservation.provisionedModelName) {
      assertName(changes.name, "desiredProvisionedModelName");
      if (await store.findByName(changes.name)) {
        throw new ValidationException(`A provisioned throughput named ${changes.name} already exists.`);
      }
      await store.update(reservation.provisionedModelId, { provisionedModelName: changes.name });
      const active = this.active.get(reservation.provisionedModelId);
      if (active) active.reservation = { ...active.reservation, provisionedModelName: changes.name };
    }
    if (!changes.modelId) return;
    const target = await findReservableModel(this.options.sources, changes.modelId);
    if (target.modelArn === reservation.modelArn) return;
    this.assertSettled(reservation);
    const current = await findReservableModel(this.options.sources, reservation.modelArn).catch(
      () => undefined,
    );
    if (!current?.customModel) {
      throw new ValidationException(
        "desiredModelId can only be set on a provisioned throughput of a custom model (as in Bedrock); this one serves a base model.",
      );
    }
    if (target.foundationModelArn !== reservation.foundationModelArn) {
      throw new ValidationException(
        `desiredModelId must be the base model ${reservation.foundationModelArn} or a custom model trained from it; ${changes.modelId} is based on ${target.foundationModelArn}.`,
      );
    }
    await store.update(reservation.provisionedModelId, {
      status: "Updating",
      desiredModelArn: target.modelArn,
    });
    const at = new Date();
    this.startActivation(reservation, target, reservation.modelUnits, async () => {
      await store.update(reservation.provisionedModelId, { status: "InService", modelArn: target.modelArn });
      await store.changeBilling(
        reservation.provisionedModelId,
        at,
        this.billing(target.modelArn, reservation.modelUnits, reservation.commitmentDuration),
      );
    });
  }

  /** Strata's extension: a new number of model units, without dropping requests in flight. */
  resize(identifier: string, units: number): Promise<void> {
    return this.capacityChanges.run(() => this.resizeNow(identifier, units));
  }

  private async resizeNow(identifier: string, units: number): Promise<void> {
    const reservation = await this.get(identifier);
    this.assertSettled(reservation);
    if (!Number.isInteger(units) || units < 1) {
      throw new ValidationException(
        `desiredModelUnits must be a whole number of at least 1; it was ${units}.`,
      );
    }
    if (units === reservation.modelUnits) return;
    if (reservation.commitmentDuration && units < reservation.modelUnits) {
      throw new ConflictException(
        `${reservation.provisionedModelName} is committed to ${reservation.modelUnits} model units until ${reservation.commitmentExpirationTime?.toISOString()}; it can grow but not shrink before then.`,
      );
    }
    this.grant(units, await this.heldCores(reservation.provisionedModelId));
    const reservable = await findReservableModel(this.options.sources, reservation.modelArn);
    const { store } = this.options;
    await store.update(reservation.provisionedModelId, { status: "Updating", desiredModelUnits: units });
    const at = new Date();
    this.startActivation(reservation, reservable, units, async () => {
      await store.update(reservation.provisionedModelId, { status: "InService", modelUnits: units });
      await store.changeBilling(
        reservation.provisionedModelId,
        at,
        this.billing(reservation.modelArn, units, reservation.commitmentDuration),
      );
    });
  }

  async delete(identifier: string, options: { force: boolean }): Promise<void> {
    const reservation = await this.get(identifier);
    const now = new Date();
    const expiration = reservation.commitmentExpirationTime;
    if (expiration && expiration > now && !options.force) {
      throw new ConflictException(
        `${reservation.provisionedModelName} has a ${reservation.commitmentDuration} commitment until ${expiration.toISOString()}; it cannot be deleted before its term ends (an administrator can: strata throughput delete --force).`,
      );
    }
    await this.activating.get(reservation.provisionedModelId)?.catch(() => undefined);
    await this.options.store.markDeleted(reservation.provisionedModelId, now);
    await this.deactivate(reservation.provisionedModelId);
  }

  /** The reservation serving a runtime modelId (its ARN or name), or undefined when it names none. */
  async forRuntime(modelId: string): Promise<ActiveReservation | undefined> {
    const id = idFromProvisionedModelArn(modelId);
    if (!id && !looksLikeProvisionedModelName(modelId)) return undefined;
    const reservation = await this.find(modelId);
    if (!reservation) {
      if (id && (await this.options.store.wasDeleted(id)))
        throw new ResourceNotFoundException(
          `The provisioned throughput ${modelId} was deleted; create a new one with CreateProvisionedModelThroughput.`,
        );
      // A reservation that never existed is an unknown model id, answered as Bedrock answers one.
      if (id) throw new ValidationException("The provided model identifier is invalid.");
      return undefined;
    }
    if (reservation.status === "Failed") {
      throw new ValidationException(
        `The provisioned throughput ${reservation.provisionedModelName} failed: ${reservation.failureMessage ?? "unknown reason"}. Delete it and create a new one.`,
      );
    }
    const active = this.active.get(reservation.provisionedModelId);
    if (!active) {
      throw new ModelNotReadyException(
        `The provisioned throughput ${reservation.provisionedModelName} is ${reservation.status}: its capacity is being made ready. Retry when GetProvisionedModelThroughput says InService.`,
      );
    }
    this.options.gates.assertAdmissible(capacityKeyOf(active.engineModel));
    return active;
  }

  /** What the runtime serves for a reservation: the base model's catalog entry under the reservation's ARN. */
  async catalogEntryFor(active: ActiveReservation): Promise<CatalogEntry> {
    const base = await this.options.catalog.get(active.reservable.baseModelId);
    if (!base) throw new ValidationException(`The base model ${active.reservable.baseModelId} is gone.`);
    const arn = provisionedModelArn(this.options.sources.context, active.reservation.provisionedModelId);
    return {
      ...base,
      model: {
        ...base.model,
        modelId: arn,
        modelArn: arn,
        modelName: active.reservation.provisionedModelName,
      },
    };
  }

  /** Names of the live reservations serving this model ARN (DeleteCustomModel refuses while there are any). */
  async usersOf(modelArn: string): Promise<string[]> {
    const reservations = await this.options.store.list();
    return reservations
      .filter((reservation) => reservation.modelArn === modelArn || reservation.desiredModelArn === modelArn)
      .map((reservation) => `provisioned throughput ${reservation.provisionedModelName}`);
  }

  /** Whether a ready reservation has this name (synchronous: the on-demand quota's check). */
  isActiveName(name: string): boolean {
    for (const active of this.active.values())
      if (active.reservation.provisionedModelName === name) return true;
    return false;
  }

  get queuePerUnit(): number {
    return this.options.config.queuePerUnit;
  }

  /** Names of the live reservations serving a local model or a custom model trained from it. */
  async usersOfBase(foundationModelArn: string): Promise<string[]> {
    const reservations = await this.options.store.list();
    return reservations
      .filter((reservation) => reservation.foundationModelArn === foundationModelArn)
      .map((reservation) => `provisioned throughput ${reservation.provisionedModelName}`);
  }

  activeReservation(provisionedModelId: string): ActiveReservation | undefined {
    return this.active.get(provisionedModelId);
  }

  /** Cores held by live reservations (other than `except`), at the larger of their current and desired size. */
  async heldCores(except?: string): Promise<number> {
    const reservations = await this.options.store.list();
    return reservations
      .filter((reservation) => reservation.provisionedModelId !== except && reservation.status !== "Failed")
      .reduce(
        (cores, reservation) =>
          cores +
          reservationShape(Math.max(reservation.modelUnits, reservation.desiredModelUnits), this.host).cores,
        0,
      );
  }

  /** Cores on-demand contexts may use now: the host's, less those the ready reservations hold. */
  onDemandCores(): number {
    let held = 0;
    for (const active of this.active.values()) held += active.engineModel.capacity?.threads ?? 0;
    return onDemandCores(this.host, held);
  }

  /** Makes every live reservation's capacity ready again after a restart (Updating until it is). */
  async resumeAtStart(): Promise<void> {
    for (const reservation of await this.options.store.list()) {
      if (reservation.status === "Failed") continue;
      const reservable = await findReservableModel(this.options.sources, reservation.modelArn).catch(
        () => undefined,
      );
      if (!reservable) {
        await this.options.store.update(reservation.provisionedModelId, {
          status: "Failed",
          failureMessage: `Its model ${reservation.modelArn} no longer exists.`,
        });
        continue;
      }
      const units = reservation.modelUnits;
      // Its capacity is being made again (the model measured and loaded): Updating until it serves.
      if (reservation.status === "InService") {
        await this.options.store.update(reservation.provisionedModelId, { status: "Updating" });
      }
      this.startActivation(reservation, reservable, units, async () => {
        await this.options.store.update(reservation.provisionedModelId, {
          status: "InService",
          desiredModelArn: reservation.modelArn,
          desiredModelUnits: units,
        });
      });
    }
  }

  /** Waits for the activations in progress (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.activating.values()]);
  }

  async close(): Promise<void> {
    await this.settled();
    for (const id of [...this.active.keys()]) await this.deactivate(id);
  }

  private async find(identifier: string): Promise<Reservation | undefined> {
    const id = idFromProvisionedModelArn(identifier);
    return id ? this.options.store.find(id) : this.options.store.findByName(identifier);
  }

  private grant(units: number, heldCores: number): void {
    const decision = planReservation(units, heldCores, this.host);
    if (decision.kind === "refused") throw new ServiceQuotaExceededException(decision.message);
  }

  private assertSettled(reservation: Reservation): void {
    if (reservation.status === "Creating" || reservation.status === "Updating") {
      throw new ConflictException(
        `${reservation.provisionedModelName} is ${reservation.status}; wait until it is InService before changing it.`,
      );
    }
  }

  private billing(modelArn: string, units: number, commitmentDuration: CommitmentDuration | undefined) {
    const { prices } = this.options.config;
    return {
      modelArn,
      modelUnits: units,
      ...(commitmentDuration ? { commitmentDuration } : {}),
      pricePerUnitHourUsd: prices.perUnitHourUsd[termOf(commitmentDuration)],
      priceSource: prices.source,
    };
  }

  private startActivation(
    reservation: Reservation,
    reservable: ReservableModel,
    units: number,
    onReady: () => Promise<void>,
  ): void {
    const id = reservation.provisionedModelId;
    const activation = (this.activating.get(id) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        try {
          await this.activate(reservation, reservable, units);
          await onReady();
          const stored = await this.options.store.find(id);
          const active = this.active.get(id);
          if (stored && active) active.reservation = stored;
        } catch (error) {
          this.options.logger.error("provisioned throughput could not be made ready", {
            provisionedModelId: id,
            ...describeError(error),
          });
          const failureMessage = `Strata could not make its capacity ready: ${(error as Error).message}`;
          if (this.active.has(id)) {
            // An update or resize failed: the old capacity keeps serving.
            await this.options.store.update(id, {
              status: "InService",
              desiredModelArn: reservation.modelArn,
              desiredModelUnits: reservation.modelUnits,
              failureMessage,
            });
          } else {
            await this.options.store.update(id, { status: "Failed", failureMessage });
            await this.options.store.changeBilling(id, new Date());
          }
        }
      })
      .finally(() => {
        if (this.activating.get(id) === activation) this.activating.delete(id);
      });
    this.activating.set(id, activation);
  }

  /** Measures the model, makes the new dedicated context, switches to it and lets the old one drain. */
  private async activate(
    reservation: Reservation,
    reservable: ReservableModel,
    units: number,
  ): Promise<void> {
    const { engine, gates, meter, config } = this.options;
    const shape = reservationShape(units, this.host);
    this.generation += 1;
    const engineModel: EngineModel = {
      ...reservable.engineModel,
      modelId: provisionedModelArn(this.options.sources.context, reservation.provisionedModelId),
      capacity: {
        key: `${reservation.provisionedModelId}.${this.generation}`,
        sequences: shape.sequences,
        threads: shape.threads,
      },
    };
    let unit: ModelUnit;
    try {
      // Measured on the reservation's own cores, the first time this model file is reserved.
      unit = await meter.measure(engineModel);
      // Creates the context now, so the first request does not pay for it (and a bad adapter fails here).
      await engine.contextLength(engineModel);
    } catch (error) {
      // Nothing of the capacity that could not be made stays held (its cores, its inference process).
      await engine.releaseCapacity(engineModel.capacity?.key ?? "").catch(() => undefined);
      throw error;
    }
    gates.define(
      capacityKeyOf(engineModel),
      { sequences: shape.sequences, queueLength: units * config.queuePerUnit },
      `provisioned throughput ${reservation.provisionedModelName}`,
    );
    const previous = this.active.get(reservation.provisionedModelId);
    this.active.set(reservation.provisionedModelId, { reservation, reservable, engineModel, unit });
    if (previous) void this.release(previous);
    this.options.logger.info("provisioned throughput ready", {
      provisionedModelId: reservation.provisionedModelId,
      modelUnits: units,
      cores: shape.cores,
      sequences: shape.sequences,
      tokensPerMinutePerUnit: unit.tokensPerMinute,
    });
  }

  /** The current capacity of the reservation a (possibly older) engine model was resolved to. */
  currentEngineModel(model: EngineModel): EngineModel {
    const id = model.capacity?.key.split(".")[0];
    return (id ? this.active.get(id)?.engineModel : undefined) ?? model;
  }

  private async deactivate(provisionedModelId: string): Promise<void> {
    const active = this.active.get(provisionedModelId);
    this.active.delete(provisionedModelId);
    if (!active) return;
    this.options.gates.remove(
      capacityKeyOf(active.engineModel),
      new ResourceNotFoundException(
        `The provisioned throughput ${active.reservation.provisionedModelName} was deleted while this request waited for it.`,
      ),
    );
    await this.release(active);
  }

  /** Requests already running on the old capacity finish there; then its context is freed. */
  private async release(active: ActiveReservation): Promise<void> {
    const capacity = active.engineModel.capacity;
    if (capacity) await this.options.engine.releaseCapacity(capacity.key);
  }
}

/** The model's pattern is unanchored (Smithy); the whole name must match it, as Bedrock checks. */
function assertName(name: string, member: string): void {
  if (!looksLikeProvisionedModelName(name)) {
    throw new ValidationException(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ([0-9a-zA-Z][_-]?)+ (letters, digits, and single '-' or '_' between them; 1 to 63 characters).`,
    );
  }
}
