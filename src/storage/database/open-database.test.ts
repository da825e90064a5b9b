import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { expect, it } from "vitest";
import { NewerDatabaseError, openDatabase } from "./open-database.js";

it("migrates a new database, reopens it, and refuses one written by a newer Strata without touching it", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "strata-db-")), "strata.db");
  const first = await openDatabase(path);
  await first.database
    .insertInto("api_keys")
    .values({
      key_id: "BK1",
      token_sha256: "x",
      description: null,
      is_admin: 0,
      status: "Active",
      created_at: "2026-11-29T00:00:00Z",
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  await first.close();

  const second = await openDatabase(path);
  expect(await second.database.selectFrom("api_keys").select("key_id").execute()).toEqual([
    { key_id: "BK1" },
  ]);
  await second.close();

  const raw = new SqliteDatabase(path);
  expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
  raw
    .prepare("INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)")
    .run("9999-from-the-future", new Date().toISOString());
  raw.close();

  await expect(openDatabase(path)).rejects.toThrow(NewerDatabaseError);
  await expect(openDatabase(path)).rejects.toThrow(/9999-from-the-future/);
  const after = new SqliteDatabase(path);
  expect(after.prepare("SELECT key_id FROM api_keys").all()).toEqual([{ key_id: "BK1" }]);
  after.close();
});

it("applies a missing migration that sorts before one already applied, keeping the data", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "strata-db-")), "strata.db");
  await (await openDatabase(path)).close();
  // A development build's database: 0007 applied, 0006 not yet written when it ran.
  const raw = new SqliteDatabase(path);
  raw.exec("DROP TABLE evaluation_jobs; ALTER TABLE custom_models DROP COLUMN evaluation");
  raw.prepare("DELETE FROM kysely_migration WHERE name = ?").run("0006-evaluation-jobs");
  raw
    .prepare(
      "INSERT INTO api_keys (key_id, token_sha256, is_admin, status, created_at) VALUES (?, ?, 0, ?, ?)",
    )
    .run("BK2", "y", "Active", "2026-11-30T00:00:00Z");
  raw.close();

  const reopened = await openDatabase(path);
  expect(await reopened.database.selectFrom("evaluation_jobs").selectAll().execute()).toEqual([]);
  expect(await reopened.database.selectFrom("api_keys").select("key_id").execute()).toEqual([
    { key_id: "BK2" },
  ]);
  await reopened.close();
});
