// The owner of the `registry_repos` table, in the registry Durable Object: every repository that
// exists, registered by its first push before that push commits, and its storage figures, as each
// reports them after a write, for the scheduled archive scan.

export interface RepoFigures {
  hotBytes: number;
  archivedBytes: number;
  coldestAccessAt: number | null;
}

export function reportFigures(sql: SqlStorage, name: string, figures: RepoFigures, now: number): void {
  sql.exec(
    `INSERT INTO registry_repos (name, hot_bytes, archived_bytes, coldest_access_at, reported_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET hot_bytes = excluded.hot_bytes, archived_bytes = excluded.archived_bytes,
       coldest_access_at = excluded.coldest_access_at, reported_at = excluded.reported_at`,
    name, figures.hotBytes, figures.archivedBytes, figures.coldestAccessAt, now,
  );
}

/** Repositories with more hot bytes than `overBytes`, or a hot pack last read before `coldBefore`. */
export function archiveCandidates(sql: SqlStorage, overBytes: number, coldBefore: number): string[] {
  return sql
    .exec<{ name: string }>(
      "SELECT name FROM registry_repos WHERE hot_bytes > ? UNION SELECT name FROM registry_repos WHERE coldest_access_at < ? ORDER BY name",
      overBytes,
      coldBefore,
    )
    .toArray()
    .map((r) => r.name);
}

/** Notes a repository that a push is about to create (idempotent). */
export function registerRepo(sql: SqlStorage, name: string, now: number): void {
  sql.exec("INSERT OR IGNORE INTO registry_repos (name, hot_bytes, archived_bytes, coldest_access_at, reported_at) VALUES (?, 0, 0, NULL, ?)", name, now);
}

export function repoExists(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM registry_repos WHERE name = ?", name).toArray().length > 0;
}
