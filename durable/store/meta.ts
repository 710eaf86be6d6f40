// The owner of the `meta` table: one value per key, for the repository's small facts. Each key is
// listed here with what it holds; the modules named beside it are the only ones that use it.

export type MetaKey =
  /** ISO time of the first accepted push (repository.ts): the repository exists from then on. */
  | "created"
  /** owner/name, as the first push named it (repository.ts). */
  | "name"
  /** The branch HEAD points to (refs/log.ts; set by lifecycle/set-up.ts, lifecycle/fork.ts and PATCH, api/repo.ts). */
  | "HEAD"
  /** owner/name of the repository this one is being forked from; absent once the fork is ready (lifecycle/fork.ts). */
  | "forking_from"
  /** The import that fills this repository: its state and progress, as JSON (lifecycle/import-state.ts). */
  | "import"
  /** A mirror's remote token (never shown) and who imported it, as JSON, for its scheduled fetches (lifecycle/import-state.ts). */
  | "mirror_source"
  /** Why whole-pack clones are off until the next repack; absent while they are on (store/whole-reuse.ts). */
  | "whole_reuse_off"
  /** The pack of unreachable objects the last repack wrote (store/whole-reuse.ts). */
  | "cruft_pack"
  /** Bytes of the packs in R2 (archive/jobs.ts). */
  | "archived_bytes"
  /** When the pending archive job was queued (archive/jobs.ts). */
  | "archive_queued_at"
  /** The ref log's seq when the commit graph last reached every tip (graph/build.ts). */
  | "graph_seq"
  /** When the repack that a write called for is due, in milliseconds (repo-object.ts). */
  | "repack_due_at"
  /** The last failure of housekeeping and of archival, as JSON (store/health.ts). */
  | "housekeeping_failure"
  /** The last successful run of housekeeping and of archival, as JSON (store/health.ts). */
  | "housekeeping_last_run"
  | "archive_last_run"
  | "archive_failure";

export function metaGet(sql: SqlStorage, key: MetaKey): string | undefined {
  return sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
}

export function metaSet(sql: SqlStorage, key: MetaKey, value: string): void {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
}

/** Sets `key` unless it has a value already. */
export function metaInit(sql: SqlStorage, key: MetaKey, value: string): void {
  sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", key, value);
}

/** Adds `n` to a number kept under `key` (0 when absent). */
export function metaAdd(sql: SqlStorage, key: MetaKey, n: number): void {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT)", key, String(n), Math.trunc(n));
}

export function metaDelete(sql: SqlStorage, ...keys: MetaKey[]): void {
  for (const key of keys) sql.exec("DELETE FROM meta WHERE key = ?", key);
}
