// The owner of the `registry_repos` table, in the registry Durable Object: every repository that
// exists or was deleted and not yet purged, with what each last reported of itself after a write
// (storage figures for the scheduled archive scan; visibility, description, default branch and last
// push for listings; its active webhooks for the scheduled delivery check; the remote of a mirror for the scheduled fetch). Creation, deletion,
// undeletion and purge each append an event to the registry's log (repo-events.ts) in the same step.
import { appendRepoEvent, type Actor } from "./repo-events";

export interface RepoFigures {
  hotBytes: number;
  archivedBytes: number;
  coldestAccessAt: number | null;
}

/** What a repository reports of itself after each write. */
export interface RepoSummary extends RepoFigures {
  visibility: "public" | "private";
  description: string;
  defaultBranch: string;
  lastPushAt: number | null;
  hooks: number;
  mirrorUrl: string | null;
}

export interface RepoEntry extends Omit<RepoSummary, "coldestAccessAt"> {
  name: string;
  deletedAt: number | null;
}

type Row = {
  name: string;
  hot_bytes: number;
  archived_bytes: number;
  visibility: "public" | "private";
  description: string;
  default_branch: string;
  last_push_at: number | null;
  hooks: number;
  mirror_url: string | null;
  deleted_at: number | null;
};

function entryOf(r: Row): RepoEntry {
  return {
    name: r.name,
    hotBytes: r.hot_bytes,
    archivedBytes: r.archived_bytes,
    visibility: r.visibility,
    description: r.description,
    defaultBranch: r.default_branch,
    lastPushAt: r.last_push_at,
    hooks: r.hooks,
    mirrorUrl: r.mirror_url,
    deletedAt: r.deleted_at,
  };
}

export function reportSummary(sql: SqlStorage, name: string, s: RepoSummary, now: number): void {
  sql.exec(
    `UPDATE registry_repos SET hot_bytes = ?, archived_bytes = ?, coldest_access_at = ?, reported_at = ?, visibility = ?, description = ?,
       default_branch = ?, last_push_at = ?, hooks = ?, mirror_url = ? WHERE name = ?`,
    s.hotBytes, s.archivedBytes, s.coldestAccessAt, now, s.visibility, s.description, s.defaultBranch, s.lastPushAt, s.hooks, s.mirrorUrl, name,
  );
}

/** Repositories with more hot bytes than `overBytes`, or a hot pack last read before `coldBefore`. */
export function archiveCandidates(sql: SqlStorage, overBytes: number, coldBefore: number): string[] {
  return sql
    .exec<{ name: string }>(
      "SELECT name FROM registry_repos WHERE hot_bytes > ? AND deleted_at IS NULL UNION SELECT name FROM registry_repos WHERE coldest_access_at < ? AND deleted_at IS NULL ORDER BY name",
      overBytes,
      coldBefore,
    )
    .toArray()
    .map((r) => r.name);
}

/** What stands in the way of creating `name`: nothing, a repository that exists, or one deleted and not yet purged. */
export type Creation = { status: "created" } | { status: "exists" } | { status: "deleted"; deletedAt: number };

/** Registers a new repository (by POST /api/repos or by its first push) and logs its creation. */
export function createRepo(sql: SqlStorage, name: string, by: Actor, now: number): Creation {
  const row = sql.exec<{ deleted_at: number | null }>("SELECT deleted_at FROM registry_repos WHERE name = ?", name).toArray()[0];
  if (row) return row.deleted_at === null ? { status: "exists" } : { status: "deleted", deletedAt: row.deleted_at };
  sql.exec("INSERT INTO registry_repos (name, hot_bytes, archived_bytes, coldest_access_at, reported_at) VALUES (?, 0, 0, NULL, ?)", name, now);
  appendRepoEvent(sql, "created", name, by, now);
  return { status: "created" };
}

/** Whether `name` exists (a deleted repository does not). */
export function repoExists(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM registry_repos WHERE name = ? AND deleted_at IS NULL", name).toArray().length > 0;
}

export function findRepo(sql: SqlStorage, name: string): RepoEntry | null {
  const row = sql.exec<Row>("SELECT * FROM registry_repos WHERE name = ?", name).toArray()[0];
  return row ? entryOf(row) : null;
}

/** Up to `limit` repositories named after `after`, by name; of one owner, and deleted ones instead of existing ones when asked. */
export function listRepos(sql: SqlStorage, q: { owner?: string; after?: string; limit: number; deleted: boolean }): RepoEntry[] {
  const where = [q.deleted ? "deleted_at IS NOT NULL" : "deleted_at IS NULL"];
  const params: SqlStorageValue[] = [];
  if (q.owner !== undefined) {
    // Owner names hold no "%" or "_" wildcards of their own that matter: "_" is escaped.
    where.push("name LIKE ? ESCAPE '\\'");
    params.push(`${q.owner.replace(/_/g, "\\_")}/%`);
  }
  if (q.after !== undefined) {
    where.push("name > ?");
    params.push(q.after);
  }
  return sql.exec<Row>(`SELECT * FROM registry_repos WHERE ${where.join(" AND ")} ORDER BY name LIMIT ?`, ...params, q.limit).toArray().map(entryOf);
}

/** Marks `name` deleted and logs it; false when it does not exist (or is deleted already). */
export function deleteRepo(sql: SqlStorage, name: string, by: Actor, now: number): boolean {
  if (sql.exec("UPDATE registry_repos SET deleted_at = ? WHERE name = ? AND deleted_at IS NULL", now, name).rowsWritten === 0) return false;
  appendRepoEvent(sql, "deleted", name, by, now);
  return true;
}

/** Brings a deleted repository back and logs it; false when it is not deleted. */
export function undeleteRepo(sql: SqlStorage, name: string, by: Actor, now: number): boolean {
  if (sql.exec("UPDATE registry_repos SET deleted_at = NULL WHERE name = ? AND deleted_at IS NOT NULL", name).rowsWritten === 0) return false;
  appendRepoEvent(sql, "undeleted", name, by, now);
  return true;
}

/** Every deleted repository not yet purged, longest deleted first. */
export function deletedRepos(sql: SqlStorage): { name: string; deletedAt: number }[] {
  return sql.exec<{ name: string; deleted_at: number }>("SELECT name, deleted_at FROM registry_repos WHERE deleted_at IS NOT NULL ORDER BY deleted_at").toArray().map((r) => ({ name: r.name, deletedAt: r.deleted_at }));
}

/** Mirrors, which the scheduled job fetches again. */
export function mirrorRepos(sql: SqlStorage): string[] {
  return sql.exec<{ name: string }>("SELECT name FROM registry_repos WHERE mirror_url IS NOT NULL AND deleted_at IS NULL ORDER BY name").toArray().map((r) => r.name);
}

/** Repositories with active webhooks. */
export function reposWithHooks(sql: SqlStorage): string[] {
  return sql.exec<{ name: string }>("SELECT name FROM registry_repos WHERE hooks > 0 AND deleted_at IS NULL ORDER BY name").toArray().map((r) => r.name);
}

/** Forgets a purged repository (its name is free again) and logs the purge; false when it was not deleted. */
export function recordPurged(sql: SqlStorage, name: string, now: number): boolean {
  if (sql.exec("DELETE FROM registry_repos WHERE name = ? AND deleted_at IS NOT NULL", name).rowsWritten === 0) return false;
  appendRepoEvent(sql, "purged", name, { actor: "retention", actorId: null }, now);
  return true;
}
