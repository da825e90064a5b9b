// Migration 0004: pretraining jobs (src/pretraining/jobs/). The request and the progress are JSON documents:
// the job runner is their only reader and writer, and they are echoed back as they are.
import type { Kysely, Migration } from "kysely";

export const pretrainingJobs: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable("pretraining_jobs")
      .addColumn("job_id", "text", (column) => column.primaryKey())
      .addColumn("job_name", "text", (column) => column.notNull().unique())
      .addColumn("model_id", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("request", "text", (column) => column.notNull())
      .addColumn("progress", "text", (column) => column.notNull())
      .addColumn("failure_message", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      .addColumn("ended_at", "text")
      .execute();
  },
};
