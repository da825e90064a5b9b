// Versioned schema migrations, applied in name order at open (one missing behind later ones is applied too).
// Never edit a migration that has shipped: add the next one. The names also tell a Strata whether a database
// was written by a newer version of itself.
import { type Kysely, type Migration, sql } from "kysely";
import { customizationJobsAndCustomModels } from "./migration-0003-customization-jobs-and-custom-models.js";
import { pretrainingJobs } from "./migration-0004-pretraining-jobs.js";
import { provisionedThroughput } from "./migration-0005-provisioned-throughput.js";
import { evaluationJobs } from "./migration-0006-evaluation-jobs.js";
import { transferLearningJobs } from "./migration-0007-transfer-learning-jobs.js";

export const migrations: Record<string, Migration> = {
  "0001-keys-models-and-import-jobs": {
    async up(database: Kysely<unknown>) {
      await database.schema
        .createTable("access_keys")
        .addColumn("access_key_id", "text", (column) => column.primaryKey())
        .addColumn("secret_access_key", "text", (column) => column.notNull())
        .addColumn("description", "text")
        .addColumn("is_admin", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("is_internal", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("created_at", "text", (column) => column.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();
      await database.schema
        .createTable("api_keys")
        .addColumn("key_id", "text", (column) => column.primaryKey())
        .addColumn("token_sha256", "text", (column) => column.notNull().unique())
        .addColumn("description", "text")
        .addColumn("is_admin", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("created_at", "text", (column) => column.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();
      await database.schema
        .createTable("local_models")
        .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
        .addColumn("model_id", "text", (column) => column.notNull().unique())
        .addColumn("model_name", "text", (column) => column.notNull())
        .addColumn("provider_name", "text", (column) => column.notNull())
        .addColumn("source", "text", (column) => column.notNull())
        .addColumn("architecture", "text", (column) => column.notNull())
        .addColumn("parameter_count", "integer", (column) => column.notNull())
        .addColumn("context_length", "integer", (column) => column.notNull())
        .addColumn("quantization", "text", (column) => column.notNull())
        .addColumn("trainer_supported", "integer", (column) => column.notNull())
        .addColumn("chat_template", "text")
        .addColumn("file_path", "text", (column) => column.notNull())
        .addColumn("source_uri", "text", (column) => column.notNull())
        .addColumn("file_size_bytes", "integer", (column) => column.notNull())
        .addColumn("imported_model_id", "text", (column) => column.unique())
        .addColumn("import_job_id", "text")
        .addColumn("created_at", "text", (column) => column.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
        .execute();
      await database.schema
        .createTable("model_import_jobs")
        .addColumn("job_id", "text", (column) => column.primaryKey())
        .addColumn("job_name", "text", (column) => column.notNull().unique())
        .addColumn("imported_model_name", "text", (column) => column.notNull())
        .addColumn("model_id", "text", (column) => column.notNull())
        .addColumn("role_arn", "text", (column) => column.notNull())
        .addColumn("s3_uri", "text", (column) => column.notNull())
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("failure_message", "text")
        .addColumn("client_request_token", "text", (column) => column.unique())
        .addColumn("request_fingerprint", "text", (column) => column.notNull())
        .addColumn("imported_model_id", "text")
        .addColumn("created_at", "text", (column) => column.notNull())
        .addColumn("last_modified_at", "text", (column) => column.notNull())
        .addColumn("end_at", "text")
        .execute();
    },
  },
  "0002-usage-ledger": {
    async up(database: Kysely<unknown>) {
      await database.schema
        .createTable("usage_invocations")
        .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
        .addColumn("request_id", "text", (column) => column.notNull())
        .addColumn("requested_model_id", "text", (column) => column.notNull())
        .addColumn("model_id", "text", (column) => column.notNull())
        .addColumn("served_by", "text", (column) => column.notNull())
        .addColumn("operation", "text", (column) => column.notNull())
        .addColumn("caller_key_id", "text", (column) => column.notNull())
        .addColumn("input_tokens", "integer", (column) => column.notNull())
        .addColumn("output_tokens", "integer", (column) => column.notNull())
        .addColumn("time_to_first_token_ms", "real")
        .addColumn("latency_ms", "real", (column) => column.notNull())
        .addColumn("status", "text", (column) => column.notNull())
        .addColumn("started_at", "text", (column) => column.notNull())
        .addColumn("cost_usd", "real", (column) => column.notNull())
        .addColumn("price_basis", "text", (column) => column.notNull())
        .addColumn("input_price_per_1k_tokens", "real", (column) => column.notNull())
        .addColumn("output_price_per_1k_tokens", "real", (column) => column.notNull())
        .addColumn("price_source", "text", (column) => column.notNull())
        .addColumn("bedrock_model_id", "text")
        .addColumn("bedrock_cost_usd", "real")
        .addColumn("bedrock_input_price_per_1k_tokens", "real")
        .addColumn("bedrock_output_price_per_1k_tokens", "real")
        .addColumn("bedrock_price_source", "text")
        .execute();
      await database.schema
        .createIndex("usage_invocations_started_at")
        .on("usage_invocations")
        .column("started_at")
        .execute();
      await database.schema
        .createIndex("usage_invocations_model_started_at")
        .on("usage_invocations")
        .columns(["model_id", "started_at"])
        .execute();
      await database.schema
        .createIndex("usage_invocations_caller_started_at")
        .on("usage_invocations")
        .columns(["caller_key_id", "started_at"])
        .execute();
    },
  },
  "0003-customization-jobs-and-custom-models": customizationJobsAndCustomModels,
  "0004-pretraining-jobs": pretrainingJobs,
  "0005-provisioned-throughput": provisionedThroughput,
  "0006-evaluation-jobs": evaluationJobs,
  "0007-transfer-learning-jobs": transferLearningJobs,
};
