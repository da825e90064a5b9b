// Migration 0005: provisioned throughput (src/provisioned-throughput/). A reservation row lives until it is
// deleted (then deleted_at is set, so the cost ledger can still price the hours it existed); every change of
// its model units opens a new billing period, the cost ledger's only input besides the price table.
import type { Kysely, Migration } from "kysely";

export const provisionedThroughput: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable("provisioned_throughputs")
      .addColumn("provisioned_model_id", "text", (column) => column.primaryKey())
      .addColumn("provisioned_model_name", "text", (column) => column.notNull())
      .addColumn("model_arn", "text", (column) => column.notNull())
      .addColumn("desired_model_arn", "text", (column) => column.notNull())
      .addColumn("foundation_model_arn", "text", (column) => column.notNull())
      .addColumn("model_units", "integer", (column) => column.notNull())
      .addColumn("desired_model_units", "integer", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("failure_message", "text")
      .addColumn("commitment_duration", "text")
      .addColumn("commitment_expiration_at", "text")
      .addColumn("client_request_token", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("last_modified_at", "text", (column) => column.notNull())
      .addColumn("deleted_at", "text")
      .execute();
    await database.schema
      .createTable("provisioned_throughput_periods")
      .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
      .addColumn("provisioned_model_id", "text", (column) => column.notNull())
      .addColumn("model_arn", "text", (column) => column.notNull())
      .addColumn("model_units", "integer", (column) => column.notNull())
      .addColumn("commitment_duration", "text")
      .addColumn("price_per_unit_hour_usd", "real", (column) => column.notNull())
      .addColumn("price_source", "text", (column) => column.notNull())
      .addColumn("started_at", "text", (column) => column.notNull())
      .addColumn("ended_at", "text")
      .execute();
  },
};
