// Reservations and their billing periods in SQLite. A deleted reservation keeps its row (deleted_at) so that
// the cost ledger can still price the hours it existed; every read of live reservations skips those.
import type { Kysely, Selectable } from "kysely";
import type {
  ProvisionedThroughputPeriodTable,
  ProvisionedThroughputTable,
  StrataDatabase,
} from "../storage/database/database-schema.js";

export type ReservationStatus = ProvisionedThroughputTable["status"];
export type CommitmentDuration = "OneMonth" | "SixMonths";

export interface Reservation {
  provisionedModelId: string;
  provisionedModelName: string;
  modelArn: string;
  desiredModelArn: string;
  foundationModelArn: string;
  modelUnits: number;
  desiredModelUnits: number;
  status: ReservationStatus;
  failureMessage?: string;
  commitmentDuration?: CommitmentDuration;
  commitmentExpirationTime?: Date;
  clientRequestToken?: string;
  creationTime: Date;
  lastModifiedTime: Date;
}

export interface BillingPeriodRow {
  provisionedModelId: string;
  modelArn: string;
  modelUnits: number;
  commitmentDuration?: CommitmentDuration;
  pricePerUnitHourUsd: number;
  priceSource: string;
  startedAt: Date;
  endedAt?: Date;
}

export class ProvisionedThroughputStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(
    reservation: Reservation,
    period: Omit<BillingPeriodRow, "provisionedModelId">,
  ): Promise<void> {
    await this.database.transaction().execute(async (transaction) => {
      await transaction.insertInto("provisioned_throughputs").values(toRow(reservation)).execute();
      await transaction
        .insertInto("provisioned_throughput_periods")
        .values(periodRow({ ...period, provisionedModelId: reservation.provisionedModelId }))
        .execute();
    });
  }

  async update(
    provisionedModelId: string,
    changes: Partial<Omit<Reservation, "provisionedModelId" | "creationTime">>,
  ): Promise<void> {
    const row = toRow({ ...(await this.require(provisionedModelId)), ...changes });
    await this.database
      .updateTable("provisioned_throughputs")
      .set({ ...row, last_modified_at: new Date().toISOString() })
      .where("provisioned_model_id", "=", provisionedModelId)
      .execute();
  }

  /** Closes the open billing period and, unless the reservation ended, opens the next one. */
  async changeBilling(
    provisionedModelId: string,
    at: Date,
    next?: Omit<BillingPeriodRow, "provisionedModelId" | "startedAt">,
  ): Promise<void> {
    await this.database.transaction().execute(async (transaction) => {
      await transaction
        .updateTable("provisioned_throughput_periods")
        .set({ ended_at: at.toISOString() })
        .where("provisioned_model_id", "=", provisionedModelId)
        .where("ended_at", "is", null)
        .execute();
      if (next) {
        await transaction
          .insertInto("provisioned_throughput_periods")
          .values(periodRow({ ...next, provisionedModelId, startedAt: at }))
          .execute();
      }
    });
  }

  async markDeleted(provisionedModelId: string, at: Date): Promise<void> {
    await this.changeBilling(provisionedModelId, at);
    await this.database
      .updateTable("provisioned_throughputs")
      .set({ deleted_at: at.toISOString(), last_modified_at: at.toISOString() })
      .where("provisioned_model_id", "=", provisionedModelId)
      .execute();
  }

  async find(provisionedModelId: string): Promise<Reservation | undefined> {
    const row = await this.database
      .selectFrom("provisioned_throughputs")
      .selectAll()
      .where("provisioned_model_id", "=", provisionedModelId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByName(name: string): Promise<Reservation | undefined> {
    const row = await this.database
      .selectFrom("provisioned_throughputs")
      .selectAll()
      .where("provisioned_model_name", "=", name)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async findByClientRequestToken(token: string): Promise<Reservation | undefined> {
    const row = await this.database
      .selectFrom("provisioned_throughputs")
      .selectAll()
      .where("client_request_token", "=", token)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Whether the id belonged to a reservation that was deleted (a different error from one never made). */
  async wasDeleted(provisionedModelId: string): Promise<boolean> {
    const row = await this.database
      .selectFrom("provisioned_throughputs")
      .select("deleted_at")
      .where("provisioned_model_id", "=", provisionedModelId)
      .executeTakeFirst();
    return row?.deleted_at != null;
  }

  async list(): Promise<Reservation[]> {
    const rows = await this.database
      .selectFrom("provisioned_throughputs")
      .selectAll()
      .where("deleted_at", "is", null)
      .orderBy("created_at")
      .execute();
    return rows.map(fromRow);
  }

  async periods(range: { from: Date; to: Date }): Promise<BillingPeriodRow[]> {
    const rows = await this.database
      .selectFrom("provisioned_throughput_periods")
      .selectAll()
      .where("started_at", "<", range.to.toISOString())
      .where((where) =>
        where.or([where("ended_at", "is", null), where("ended_at", ">", range.from.toISOString())]),
      )
      .orderBy("started_at")
      .execute();
    return rows.map((row: Selectable<ProvisionedThroughputPeriodTable>) => ({
      provisionedModelId: row.provisioned_model_id,
      modelArn: row.model_arn,
      modelUnits: row.model_units,
      ...(row.commitment_duration ? { commitmentDuration: row.commitment_duration } : {}),
      pricePerUnitHourUsd: row.price_per_unit_hour_usd,
      priceSource: row.price_source,
      startedAt: new Date(row.started_at),
      ...(row.ended_at ? { endedAt: new Date(row.ended_at) } : {}),
    }));
  }

  private async require(provisionedModelId: string): Promise<Reservation> {
    const reservation = await this.find(provisionedModelId);
    if (!reservation) throw new Error(`provisioned throughput ${provisionedModelId} is gone`);
    return reservation;
  }
}

function toRow(reservation: Reservation): Omit<Selectable<ProvisionedThroughputTable>, "deleted_at"> {
  return {
    provisioned_model_id: reservation.provisionedModelId,
    provisioned_model_name: reservation.provisionedModelName,
    model_arn: reservation.modelArn,
    desired_model_arn: reservation.desiredModelArn,
    foundation_model_arn: reservation.foundationModelArn,
    model_units: reservation.modelUnits,
    desired_model_units: reservation.desiredModelUnits,
    status: reservation.status,
    failure_message: reservation.failureMessage ?? null,
    commitment_duration: reservation.commitmentDuration ?? null,
    commitment_expiration_at: reservation.commitmentExpirationTime?.toISOString() ?? null,
    client_request_token: reservation.clientRequestToken ?? null,
    created_at: reservation.creationTime.toISOString(),
    last_modified_at: reservation.lastModifiedTime.toISOString(),
  };
}

function fromRow(row: Selectable<ProvisionedThroughputTable>): Reservation {
  return {
    provisionedModelId: row.provisioned_model_id,
    provisionedModelName: row.provisioned_model_name,
    modelArn: row.model_arn,
    desiredModelArn: row.desired_model_arn,
    foundationModelArn: row.foundation_model_arn,
    modelUnits: row.model_units,
    desiredModelUnits: row.desired_model_units,
    status: row.status,
    ...(row.failure_message ? { failureMessage: row.failure_message } : {}),
    ...(row.commitment_duration ? { commitmentDuration: row.commitment_duration } : {}),
    ...(row.commitment_expiration_at
      ? { commitmentExpirationTime: new Date(row.commitment_expiration_at) }
      : {}),
    ...(row.client_request_token ? { clientRequestToken: row.client_request_token } : {}),
    creationTime: new Date(row.created_at),
    lastModifiedTime: new Date(row.last_modified_at),
  };
}

function periodRow(period: BillingPeriodRow) {
  return {
    provisioned_model_id: period.provisionedModelId,
    model_arn: period.modelArn,
    model_units: period.modelUnits,
    commitment_duration: period.commitmentDuration ?? null,
    price_per_unit_hour_usd: period.pricePerUnitHourUsd,
    price_source: period.priceSource,
    started_at: period.startedAt.toISOString(),
    ended_at: period.endedAt?.toISOString() ?? null,
  };
}
