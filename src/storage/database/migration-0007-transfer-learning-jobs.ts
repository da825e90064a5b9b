// Migration 0007: what transfer-learning jobs keep beyond their model_customization_jobs row (same job_id).
// In its own file so migrations.ts only gains one line.
import type { Kysely, Migration } from "kysely";

export const transferLearningJobs: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable("transfer_learning_jobs")
      .addColumn("job_id", "text", (column) => column.primaryKey())
      .addColumn("test_data_uri", "text")
      .addColumn("labels", "text")
      .addColumn("embedded_texts", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("texts_to_embed", "integer")
      .addColumn("head_training", "text")
      .addColumn("evaluation", "text")
      .execute();
  },
};
