// Migration 0006: evaluation jobs (src/evaluation/) and the base-vs-custom evaluation a customization job stores
// with its custom model. The request, the plan, the progress and the results are JSON documents: the evaluation
// runner is their only writer, and the request is echoed back as Bedrock's GetEvaluationJob returns it.
import type { Kysely, Migration } from "kysely";

export const evaluationJobs: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable("evaluation_jobs")
      .addColumn("job_id", "text", (column) => column.primaryKey())
      .addColumn("job_name", "text", (column) => column.notNull().unique())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("request", "text", (column) => column.notNull())
      .addColumn("plan", "text", (column) => column.notNull())
      .addColumn("client_request_token", "text", (column) => column.unique())
      .addColumn("request_fingerprint", "text", (column) => column.notNull())
      .addColumn("progress", "text", (column) => column.notNull())
      .addColumn("failure_messages", "text")
      .addColumn("results", "text")
      .addColumn("results_s3_uri", "text")
      .addColumn("report_s3_uri", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("last_modified_at", "text", (column) => column.notNull())
      .addColumn("end_at", "text")
      .execute();
    await database.schema.alterTable("custom_models").addColumn("evaluation", "text").execute();
  },
};
