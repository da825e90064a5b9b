// Table types for Kysely. Timestamps are stored as ISO 8601 text so that rows read the same in any SQL shell.
import type { Generated } from "kysely";

export interface AccessKeyTable {
  access_key_id: string;
  /** SigV4 verification needs the secret itself (HMAC), so it cannot be stored hashed. The data directory is 0700. */
  secret_access_key: string;
  description: string | null;
  is_admin: number;
  /** The key Strata itself uses for its object store; it cannot be revoked through the API. */
  is_internal: number;
  status: "Active" | "Revoked";
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface ApiKeyTable {
  key_id: string;
  /** SHA-256 of the bearer token: the token itself is shown once and never stored. */
  token_sha256: string;
  description: string | null;
  is_admin: number;
  status: "Active" | "Revoked";
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface LocalModelTable {
  model_id: string;
  model_name: string;
  provider_name: "Strata" | "Local";
  source: "builtin" | "imported" | "created";
  architecture: string;
  parameter_count: number;
  context_length: number;
  quantization: string;
  trainer_supported: number;
  chat_template: string | null;
  /** The GGUF file, relative to the data directory: the engine memory-maps a local file. */
  file_path: string;
  /** Where the weights came from (an s3:// URI, or a description for built-in and created models). */
  source_uri: string;
  file_size_bytes: number;
  /** The 12-character id of the imported-model ARN, for models registered through an import job. */
  imported_model_id: string | null;
  import_job_id: string | null;
  created_at: string;
  id: Generated<number>;
}

export interface ModelImportJobTable {
  job_id: string;
  job_name: string;
  imported_model_name: string;
  /** The catalog id the model will have: local.<name>. */
  model_id: string;
  role_arn: string;
  s3_uri: string;
  status: "InProgress" | "Completed" | "Failed";
  failure_message: string | null;
  client_request_token: string | null;
  /** The request as received, to tell an idempotent retry from a conflicting reuse of the token. */
  request_fingerprint: string;
  imported_model_id: string | null;
  created_at: string;
  last_modified_at: string;
  end_at: string | null;
}

/** One runtime invocation as the usage ledger stores it: the InvocationRecord, priced (src/usage/). */
export interface UsageInvocationTable {
  id: Generated<number>;
  request_id: string;
  requested_model_id: string;
  /** The catalog model that served it. */
  model_id: string;
  served_by: "LOCAL_ENGINE" | "PASS_THROUGH";
  operation: string;
  caller_key_id: string;
  input_tokens: number;
  output_tokens: number;
  time_to_first_token_ms: number | null;
  latency_ms: number;
  /** "success", or the AWS error type that ended it. */
  status: string;
  /** ISO 8601 UTC with milliseconds (Date.toISOString), so text order is time order. */
  started_at: string;
  cost_usd: number;
  /** "bedrock-on-demand" | "local-model" | "local-default" | "unpriced". */
  price_basis: string;
  input_price_per_1k_tokens: number;
  output_price_per_1k_tokens: number;
  price_source: string;
  /** Set when a local model stood in for a Bedrock id (an alias): what Bedrock would have charged. */
  bedrock_model_id: string | null;
  bedrock_cost_usd: number | null;
  bedrock_input_price_per_1k_tokens: number | null;
  bedrock_output_price_per_1k_tokens: number | null;
  bedrock_price_source: string | null;
}

export interface StrataDatabase {
  pretraining_jobs: PretrainingJobTable;
  access_keys: AccessKeyTable;
  api_keys: ApiKeyTable;
  local_models: LocalModelTable;
  model_import_jobs: ModelImportJobTable;
  usage_invocations: UsageInvocationTable;
  model_customization_jobs: ModelCustomizationJobTable;
  customization_job_metrics: CustomizationJobMetricTable;
  custom_models: CustomModelTable;
  training_throughput: TrainingThroughputTable;
  provisioned_throughputs: ProvisionedThroughputTable;
  provisioned_throughput_periods: ProvisionedThroughputPeriodTable;
  evaluation_jobs: EvaluationJobTable;
  transfer_learning_jobs: TransferLearningJobTable;
}

/** A model customization job (src/customization/jobs/). JSON columns hold what Bedrock echoes back. */
export interface ModelCustomizationJobTable {
  job_id: string;
  job_name: string;
  custom_model_name: string;
  role_arn: string;
  /** The local catalog model at the root of the lineage (local.<name> or strata.<name>). */
  base_model_id: string;
  /** Set when a custom model is trained further. */
  base_custom_model_id: string | null;
  /** The GGUF the trainer starts from, relative to the data directory. */
  base_model_file: string;
  /** TRANSFER_LEARNING: Strata's extension (src/transfer-learning/), created by CreateTransferLearningJob. */
  customization_type: "FINE_TUNING" | "CONTINUED_PRE_TRAINING" | "TRANSFER_LEARNING";
  /** JSON: the effective hyperparameters, strings as Bedrock returns them. */
  hyper_parameters: string;
  training_data_uri: string;
  /** JSON array of s3:// URIs. */
  validation_data_uris: string;
  output_data_uri: string;
  client_request_token: string | null;
  request_fingerprint: string;
  status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  /** Queued | DataProcessing | Training | Registering | Done: statusDetails and the CLI's progress. */
  phase: string;
  failure_message: string | null;
  custom_model_id: string | null;
  current_step: number;
  total_steps: number | null;
  steps_per_epoch: number | null;
  training_loss: number | null;
  tokens_per_second: number | null;
  /** JSON array: the last validation loss of each validator. */
  validation_losses: string | null;
  created_at: string;
  last_modified_at: string;
  end_at: string | null;
}

export interface CustomizationJobMetricTable {
  job_id: string;
  kind: "training" | "validation";
  step: number;
  epoch: number;
  loss: number;
  perplexity: number;
  learning_rate: number | null;
  tokens_per_second: number | null;
  recorded_at: string;
}

export interface CustomModelTable {
  custom_model_id: string;
  model_name: string;
  job_id: string;
  job_name: string;
  base_model_id: string;
  base_custom_model_id: string | null;
  /** TRANSFER_LEARNING: Strata's extension (src/transfer-learning/), created by CreateTransferLearningJob. */
  customization_type: "FINE_TUNING" | "CONTINUED_PRE_TRAINING" | "TRANSFER_LEARNING";
  /** frozen-base: transfer learning trained a classification head only. */
  training_method: "lora" | "full" | "frozen-base";
  /** What the engine needs to serve it: the base GGUF and the adapter (lora) or the merged GGUF (full). */
  base_model_file: string;
  artifact_file: string;
  artifact_kind: "lora-adapter" | "merged-model" | "classification-head";
  file_size_bytes: number;
  hyper_parameters: string;
  training_data_uri: string;
  validation_data_uris: string;
  output_data_uri: string;
  training_loss: number | null;
  validation_losses: string | null;
  /** JSON: datasets with sha256, hyperparameters, metrics, trainer version. */
  lineage: string;
  created_at: string;
  /** JSON: the base-vs-custom evaluation on the job's validation data (src/evaluation/gate/); null without one. */
  evaluation: string | null;
}

/** Training tokens/s measured per (base file, method, rank, sequence length), for the dry run's wall time. */
export interface TrainingThroughputTable {
  base_model_file: string;
  training_method: string;
  lora_rank: number;
  sequence_length: number;
  tokens_per_second: number;
  measured_at: string;
}

/** A pretraining job (src/pretraining/jobs/): request and progress as JSON documents. */
export interface PretrainingJobTable {
  job_id: string;
  job_name: string;
  model_id: string;
  status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  request: string;
  progress: string;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

/** A provisioned throughput (src/provisioned-throughput/); deleted ones keep their row for the cost ledger. */
export interface ProvisionedThroughputTable {
  provisioned_model_id: string;
  provisioned_model_name: string;
  model_arn: string;
  desired_model_arn: string;
  foundation_model_arn: string;
  model_units: number;
  desired_model_units: number;
  status: "Creating" | "InService" | "Updating" | "Failed";
  failure_message: string | null;
  commitment_duration: "OneMonth" | "SixMonths" | null;
  commitment_expiration_at: string | null;
  client_request_token: string | null;
  created_at: string;
  last_modified_at: string;
  deleted_at: string | null;
}

/** A stretch of time a reservation held a number of model units at one hourly price. */
export interface ProvisionedThroughputPeriodTable {
  id: Generated<number>;
  provisioned_model_id: string;
  model_arn: string;
  model_units: number;
  commitment_duration: "OneMonth" | "SixMonths" | null;
  price_per_unit_hour_usd: number;
  price_source: string;
  started_at: string;
  ended_at: string | null;
}

/**
 * What a transfer-learning job (src/transfer-learning/) adds to its model_customization_jobs row (same job_id):
 * the held-out data, the classes, feature-extraction progress, the heads trained and the evaluation (JSON).
 */
export interface TransferLearningJobTable {
  job_id: string;
  test_data_uri: string | null;
  labels: string | null;
  embedded_texts: number;
  texts_to_embed: number | null;
  head_training: string | null;
  evaluation: string | null;
}

/** An evaluation job (src/evaluation/): the request as accepted, the plan it runs, progress and results (JSON). */
export interface EvaluationJobTable {
  job_id: string;
  job_name: string;
  status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  request: string;
  plan: string;
  client_request_token: string | null;
  request_fingerprint: string;
  progress: string;
  /** JSON array of strings (Bedrock's failureMessages). */
  failure_messages: string | null;
  /** JSON: the summary GetEvaluationJobResults returns. */
  results: string | null;
  results_s3_uri: string | null;
  report_s3_uri: string | null;
  created_at: string;
  last_modified_at: string;
  end_at: string | null;
}
