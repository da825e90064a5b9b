// Table types for Kysely. Timestamps are stored as ISO 8601 text so that rows read the same in any SQL shell.
import type { Generated } from "kysely";

export interface AccessKeyTable {
  access_key_id: string;
  /** SigV4 verification needs the secret itself (HMAC), so it cannot be stored hashed. The data directory is 0700. */
  secret_access_key: string;
  description: string | null;
  is_admin: number;
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
  source: "builtin" | "imported";
  architecture: string;
  parameter_count: number;
  context_length: number;
  quantization: string;
  trainer_supported: number;
  chat_template: string | null;
  /** Object-store key of the GGUF file. */
  object_key: string;
  file_size_bytes: number;
  created_at: string;
  id: Generated<number>;
}

export interface StrataDatabase {
  access_keys: AccessKeyTable;
  api_keys: ApiKeyTable;
  local_models: LocalModelTable;
}
