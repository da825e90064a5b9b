// Access keys (SigV4) and Bedrock API keys (Bearer) that Strata issues. Lookups happen on every request, so
// the keys are held in memory and refreshed on every write — this process is the only writer.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { ConflictException, ResourceNotFoundException } from "../protocol/aws-errors.js";
import type { StrataDatabase } from "../storage/database/database-schema.js";
import type { StoredAccessKey } from "./sigv4/verify-signature.js";

export type KeyType = "ACCESS_KEY" | "API_KEY";

export interface KeySummary {
  keyId: string;
  keyType: KeyType;
  status: "Active" | "Revoked";
  description?: string;
  isAdmin: boolean;
  creationTime: Date;
  revocationTime?: Date;
  lastUsedTime?: Date;
}

export interface CreatedAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  creationTime: Date;
}

export interface CreatedApiKey {
  keyId: string;
  apiKey: string;
  creationTime: Date;
}

interface ApiKeyRecord {
  keyId: string;
  isAdmin: boolean;
}

const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomText(alphabet: string, length: number): string {
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// Writing last-used time on every request would turn reads into writes; once a minute per key is enough.
const lastUsedWriteIntervalMs = 60_000;

export class KeyStore {
  private accessKeys = new Map<string, StoredAccessKey & { isAdmin: boolean }>();
  /** Active API keys by the SHA-256 of their token: lookup by digest needs no secret comparison. */
  private apiKeys = new Map<string, ApiKeyRecord>();
  private readonly lastUsedWrites = new Map<string, number>();

  private constructor(private readonly database: Kysely<StrataDatabase>) {}

  static async open(database: Kysely<StrataDatabase>): Promise<KeyStore> {
    const store = new KeyStore(database);
    await store.reload();
    return store;
  }

  private async reload(): Promise<void> {
    const accessRows = await this.database.selectFrom("access_keys").selectAll().execute();
    this.accessKeys = new Map(
      accessRows.map((row) => [
        row.access_key_id,
        {
          secretAccessKey: row.secret_access_key,
          status: row.status === "Active" ? ("Active" as const) : ("Inactive" as const),
          isAdmin: row.is_admin === 1,
        },
      ]),
    );
    const apiRows = await this.database
      .selectFrom("api_keys")
      .where("status", "=", "Active")
      .selectAll()
      .execute();
    this.apiKeys = new Map(
      apiRows.map((row) => [row.token_sha256, { keyId: row.key_id, isAdmin: row.is_admin === 1 }]),
    );
  }

  /** For the SigV4 verifiers (API and embedded S3): unknown keys are undefined, revoked ones Inactive. */
  readonly lookupAccessKey = (accessKeyId: string): StoredAccessKey | undefined => {
    const key = this.accessKeys.get(accessKeyId);
    return key ? { secretAccessKey: key.secretAccessKey, status: key.status } : undefined;
  };

  isAdminAccessKey(accessKeyId: string): boolean {
    return this.accessKeys.get(accessKeyId)?.isAdmin === true;
  }

  findApiKey(token: string): ApiKeyRecord | undefined {
    return this.apiKeys.get(sha256Hex(token));
  }

  async countAccessKeys(): Promise<number> {
    const row = await this.database
      .selectFrom("access_keys")
      .where("is_internal", "=", 0)
      .select((expression) => expression.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * The access key Strata itself signs its object-store requests with (the embedded S3 endpoint accepts only
   * Strata's keys). Created once; never revocable through the API, so the server cannot lock itself out.
   */
  async internalAccessKey(): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    const row = await this.database
      .selectFrom("access_keys")
      .select(["access_key_id", "secret_access_key"])
      .where("is_internal", "=", 1)
      .where("status", "=", "Active")
      .executeTakeFirst();
    if (row) return { accessKeyId: row.access_key_id, secretAccessKey: row.secret_access_key };
    const created = await this.createAccessKey({
      description: "Strata's own object-store access",
      internal: true,
    });
    return { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
  }

  async createAccessKey(options: {
    description?: string;
    isAdmin?: boolean;
    internal?: boolean;
  }): Promise<CreatedAccessKey> {
    const created: CreatedAccessKey = {
      accessKeyId: `AKIA${randomText(base32, 16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      creationTime: new Date(),
    };
    await this.database
      .insertInto("access_keys")
      .values({
        access_key_id: created.accessKeyId,
        secret_access_key: created.secretAccessKey,
        description: options.description ?? null,
        is_admin: options.isAdmin ? 1 : 0,
        is_internal: options.internal ? 1 : 0,
        status: "Active",
        created_at: created.creationTime.toISOString(),
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await this.reload();
    return created;
  }

  async createApiKey(options: { description?: string; isAdmin?: boolean }): Promise<CreatedApiKey> {
    const created: CreatedApiKey = {
      keyId: `BK${randomText(base32, 14)}`,
      apiKey: `ABSK${randomBytes(33).toString("base64url")}`,
      creationTime: new Date(),
    };
    await this.database
      .insertInto("api_keys")
      .values({
        key_id: created.keyId,
        token_sha256: sha256Hex(created.apiKey),
        description: options.description ?? null,
        is_admin: options.isAdmin ? 1 : 0,
        status: "Active",
        created_at: created.creationTime.toISOString(),
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await this.reload();
    return created;
  }

  async list(): Promise<KeySummary[]> {
    const accessRows = await this.database
      .selectFrom("access_keys")
      .selectAll()
      .where("is_internal", "=", 0)
      .execute();
    const apiRows = await this.database.selectFrom("api_keys").selectAll().execute();
    const summaries: KeySummary[] = [
      ...accessRows.map((row) => ({
        ...summaryOf(row),
        keyId: row.access_key_id,
        keyType: "ACCESS_KEY" as const,
      })),
      ...apiRows.map((row) => ({ ...summaryOf(row), keyId: row.key_id, keyType: "API_KEY" as const })),
    ];
    return summaries.sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime());
  }

  async revoke(keyId: string, revokedBy: string): Promise<void> {
    if (keyId === revokedBy) {
      throw new ConflictException(`Key ${keyId} signed this request; revoke it with another key.`);
    }
    const now = new Date().toISOString();
    const accessResult = await this.database
      .updateTable("access_keys")
      .set({ status: "Revoked", revoked_at: now })
      .where("access_key_id", "=", keyId)
      .where("status", "=", "Active")
      .where("is_internal", "=", 0)
      .executeTakeFirst();
    const apiResult = await this.database
      .updateTable("api_keys")
      .set({ status: "Revoked", revoked_at: now })
      .where("key_id", "=", keyId)
      .where("status", "=", "Active")
      .executeTakeFirst();
    if (Number(accessResult.numUpdatedRows) + Number(apiResult.numUpdatedRows) === 0) {
      const existing = (await this.list()).find((key) => key.keyId === keyId);
      if (existing) throw new ConflictException(`Key ${keyId} is already revoked.`);
      throw new ResourceNotFoundException(`Key ${keyId} does not exist.`);
    }
    await this.reload();
  }

  /** Records use without turning every request into a write. */
  noteUse(keyType: KeyType, keyId: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWrites.get(keyId) ?? 0) < lastUsedWriteIntervalMs) return;
    this.lastUsedWrites.set(keyId, now);
    const time = new Date(now).toISOString();
    const write =
      keyType === "ACCESS_KEY"
        ? this.database
            .updateTable("access_keys")
            .set({ last_used_at: time })
            .where("access_key_id", "=", keyId)
        : this.database.updateTable("api_keys").set({ last_used_at: time }).where("key_id", "=", keyId);
    void write.execute().catch(() => undefined);
  }
}

function summaryOf(row: {
  status: "Active" | "Revoked";
  description: string | null;
  is_admin: number;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}): Omit<KeySummary, "keyId" | "keyType"> {
  return {
    status: row.status,
    isAdmin: row.is_admin === 1,
    creationTime: new Date(row.created_at),
    ...(row.description ? { description: row.description } : {}),
    ...(row.revoked_at ? { revocationTime: new Date(row.revoked_at) } : {}),
    ...(row.last_used_at ? { lastUsedTime: new Date(row.last_used_at) } : {}),
  };
}
