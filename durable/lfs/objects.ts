// The owner of `lfs_objects`: which Git LFS objects this repository holds, with their sizes. A row
// is written once an upload's bytes are in R2 and verified (worker/lfs/transfer.ts), so a row means
// the bytes are there. Each repository keeps its own copies under its own R2 prefix: deleting one
// repository can never take bytes another still needs, and a private repository's objects cannot be
// reached by naming their oid through another repository.

/** Bound parameters per query are capped at 100 on the platform. */
const OIDS_PER_QUERY = 99;

/** The R2 key of an LFS object of repository `repo` (owner/name). */
export function lfsKey(repo: string, oid: string): string {
  return `lfs/${repo}/${oid}`;
}

/** The stored sizes of those of `oids` this repository holds. */
export function lfsSizes(sql: SqlStorage, oids: string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (let i = 0; i < oids.length; i += OIDS_PER_QUERY) {
    const part = oids.slice(i, i + OIDS_PER_QUERY);
    const rows = sql.exec<{ oid: string; size: number }>(`SELECT oid, size FROM lfs_objects WHERE oid IN (${part.map(() => "?").join(",")})`, ...part);
    for (const r of rows) sizes.set(r.oid, r.size);
  }
  return sizes;
}

/** Records an object whose bytes are in R2 (a repeat upload of the same oid changes nothing). */
export function recordLfsObject(sql: SqlStorage, oid: string, size: number, actor: string, at = Date.now()): void {
  sql.exec("INSERT INTO lfs_objects (oid, size, actor, at) VALUES (?, ?, ?, ?) ON CONFLICT (oid) DO NOTHING", oid, size, actor, at);
}

/** Up to `limit` objects after `afterOid`, by oid: a page of the catalogue, for a fork's copy. */
export function lfsPage(sql: SqlStorage, afterOid: string, limit: number): { oid: string; size: number }[] {
  return sql.exec<{ oid: string; size: number }>("SELECT oid, size FROM lfs_objects WHERE oid > ? ORDER BY oid LIMIT ?", afterOid, limit).toArray();
}

/** Bytes and objects in the catalogue, for GET storage. */
export function lfsTotals(sql: SqlStorage): { bytes: number; objects: number } {
  const row = sql.exec<{ bytes: number | null; objects: number }>("SELECT SUM(size) AS bytes, COUNT(*) AS objects FROM lfs_objects").one();
  return { bytes: row.bytes ?? 0, objects: row.objects };
}
