// Migration 0003: model customization jobs, their metrics, the custom models they register, and measured
// training throughput (the dry run's wall-time estimate). Kept in its own file so migrations.ts only gains one line.
import type { Kysely, Migration } from "kysely";

export const customizationJobsAndCustomModels: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable("model_customization_jobs")
      .addColumn("job_id", "text", (column) => column.primaryKey())
      .addColumn("job_name", "text", (column) => column.notNull().unique())
      .addColumn("custom_model_name", "text", (column) => column.notNull())
      .addColumn("role_arn", "text", (column) => column.notNull())
      .addColumn("base_model_id", "text", (column) => column.notNull())
      .addColumn("base_custom_model_id", "text")
      .addColumn("base_model_file", "text", (column) => column.notNull())
      .addColumn("customization_type", "text", (column) => column.notNull())
      .addColumn("hyper_parameters", "text", (column) => column.notNull())
      .addColumn("training_data_uri", "text", (column) => column.notNull())
      .addColumn("validation_data_uris", "text", (column) => column.notNull())
      .addColumn("output_data_uri", "text", (column) => column.notNull())
      .addColumn("client_request_token", "text", (column) => column.unique())
      .addColumn("request_fingerprint", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("phase", "text", (column) => column.notNull())
      .addColumn("failure_message", "text")
      .addColumn("custom_model_id", "text")
      .addColumn("current_step", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("total_steps", "integer")
      .addColumn("steps_per_epoch", "integer")
      .addColumn("training_loss", "real")
      .addColumn("tokens_per_second", "real")
      .addColumn("validation_losses", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("last_modified_at", "text", (column) => column.notNull())
      .addColumn("end_at", "text")
      .execute();
    await database.schema
      .createTable("customization_job_metrics")
      .addColumn("job_id", "text", (column) => column.notNull())
      .addColumn("kind", "text", (column) => column.notNull())
      .addColumn("step", "integer", (column) => column.notNull())
      .addColumn("epoch", "integer", (column) => column.notNull())
      .addColumn("loss", "real", (column) => column.notNull())
      .addColumn("perplexity", "real", (column) => column.notNull())
      .addColumn("learning_rate", "real")
      .addColumn("tokens_per_second", "real")
      .addColumn("recorded_at", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("customization_job_metrics_pk", ["job_id", "kind", "step"])
      .execute();
    await database.schema
      .createTable("custom_models")
      .addColumn("custom_model_id", "text", (column) => column.primaryKey())
      .addColumn("model_name", "text", (column) => column.notNull().unique())
      .addColumn("job_id", "text", (column) => column.notNull().unique())
      .addColumn("job_name", "text", (column) => column.notNull())
      .addColumn("base_model_id", "text", (column) => column.notNull())
      .addColumn("base_custom_model_id", "text")
      .addColumn("customization_type", "text", (column) => column.notNull())
      .addColumn("training_method", "text", (column) => column.notNull())
      .addColumn("base_model_file", "text", (column) => column.notNull())
      .addColumn("artifact_file", "text", (column) => column.notNull())
      .addColumn("artifact_kind", "text", (column) => column.notNull())
      .addColumn("file_size_bytes", "integer", (column) => column.notNull())
      .addColumn("hyper_parameters", "text", (column) => column.notNull())
      .addColumn("training_data_uri", "text", (column) => column.notNull())
      .addColumn("validation_data_uris", "text", (column) => column.notNull())
      .addColumn("output_data_uri", "text", (column) => column.notNull())
      .addColumn("training_loss", "real")
      .addColumn("validation_losses", "text")
      .addColumn("lineage", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .execute();
    await database.schema
      .createTable("training_throughput")
      .addColumn("base_model_file", "text", (column) => column.notNull())
      .addColumn("training_method", "text", (column) => column.notNull())
      .addColumn("lora_rank", "integer", (column) => column.notNull())
      .addColumn("sequence_length", "integer", (column) => column.notNull())
      .addColumn("tokens_per_second", "real", (column) => column.notNull())
      .addColumn("measured_at", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("training_throughput_pk", [
        "base_model_file",
        "training_method",
        "lora_rank",
        "sequence_length",
      ])
      .execute();
  },
};
