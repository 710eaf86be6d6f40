// Whether the live packs, taken whole, hold exactly the repository's reachable objects, each once. While
// they do, a full clone is served by concatenating them (pack/concat.ts) instead of walking history,
// as git serves a bitmapped pack verbatim. Anything that may leave an object unreachable or stored twice
// (a forced update, a delete, a restore, a partly rejected push, a resent object) turns this off for
// good: nothing repacks yet, and the walk serves those repositories.
import type { RefEventKind } from "../refs/log";

const KEY = "whole_reuse_off";

/** Ref changes after which the old tip's history may be unreachable. */
export const UNREACHING_KINDS: ReadonlySet<RefEventKind> = new Set(["force", "delete", "restore"]);

export function wholeReuseAllowed(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM meta WHERE key = ?", KEY).toArray().length === 0;
}

/** Turns whole-pack reuse off, recording the first reason. */
export function turnOffWholeReuse(sql: SqlStorage, reason: string): void {
  sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", KEY, reason);
}

/** Whether a pack holds an object some other pack holds too. */
export function sharesObjects(sql: SqlStorage, packId: number): boolean {
  const query = "SELECT 1 FROM objects o WHERE o.pack_id = ? AND EXISTS (SELECT 1 FROM objects p WHERE p.oid = o.oid AND p.pack_id != o.pack_id) LIMIT 1";
  return sql.exec(query, packId).toArray().length > 0;
}
