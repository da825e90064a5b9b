// Opens the SQLite database (WAL, one writer: this process), refuses a database written by a newer Strata,
// and applies pending migrations.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, type MigrationProvider, Migrator, SqliteDialect } from "kysely";
import type { StrataDatabase } from "./database-schema.js";
import { migrations } from "./migrations.js";

export class NewerDatabaseError extends Error {}

const migrationTable = "kysely_migration";

const provider: MigrationProvider = { getMigrations: async () => migrations };

function unknownMigrations(connection: SqliteDatabase.Database): string[] {
  const table = connection
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(migrationTable);
  if (!table) return [];
  const applied = connection.prepare(`SELECT name FROM ${migrationTable}`).all() as { name: string }[];
  return applied.map((row) => row.name).filter((name) => !(name in migrations));
}

export interface OpenedDatabase {
  database: Kysely<StrataDatabase>;
  close(): Promise<void>;
}

export async function openDatabase(path: string): Promise<OpenedDatabase> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const connection = new SqliteDatabase(path);
  connection.pragma("journal_mode = WAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 5000");

  const newer = unknownMigrations(connection);
  if (newer.length > 0) {
    connection.close();
    throw new NewerDatabaseError(
      `The database ${path} was written by a newer Strata (it has migrations this version does not know: ${newer.join(", ")}). ` +
        "Upgrade Strata, or start this version with another --data-dir.",
    );
  }

  const database = new Kysely<StrataDatabase>({ dialect: new SqliteDialect({ database: connection }) });
  // Unordered: a migration is applied when it is missing, even behind a later one already applied. Strata's
  // migrations are independent of each other's order beyond their numbers, and databases made by development
  // builds (0007 applied before 0006 was written) would otherwise be refused for good.
  const { error } = await new Migrator({
    db: database,
    provider,
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    await database.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return { database, close: () => database.destroy() };
}
