// Whether the live packs, taken whole, hold exactly the repository's reachable objects, each once. While
// they do, a full clone is served by concatenating them (pack/concat.ts) instead of walking history,
// as git serves a bitmapped pack verbatim. Anything that may leave an object unreachable or stored twice
// (a forced update, a delete, a restore, a partly rejected push, a resent object) turns this off until
// a repack (housekeeping/repack.ts) turns it back on, with its pack of unreachable objects set aside.
import type { RefEventKind } from "../refs/log";

const KEY = "whole_reuse_off";
const CRUFT_KEY = "cruft_pack";

/** Ref changes after which the old tip's history may be unreachable. */
export const UNREACHING_KINDS: ReadonlySet<RefEventKind> = new Set(["force", "delete", "restore"]);

export function wholeReuseAllowed(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM meta WHERE key = ?", KEY).toArray().length === 0;
}

/** Turns whole-pack reuse off, recording the first reason. */
export function turnOffWholeReuse(sql: SqlStorage, reason: string): void {
  sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", KEY, reason);
}

/** Turns whole-pack reuse back on after a repack; `cruft` is its pack of unreachable objects, never sent whole. */
export function turnOnWholeReuse(sql: SqlStorage, cruft: number | null): void {
  sql.exec("DELETE FROM meta WHERE key IN (?, ?)", KEY, CRUFT_KEY);
  if (cruft !== null) sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", CRUFT_KEY, String(cruft));
}

/** The pack of unreachable objects the last repack wrote, if any. */
export function cruftPack(sql: SqlStorage): number | null {
  const value = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", CRUFT_KEY).toArray()[0]?.value;
  return value === undefined ? null : Number(value);
}

/** Whether a pack holds an object some other pack holds too. */
export function sharesObjects(sql: SqlStorage, packId: number): boolean {
  const query = "SELECT 1 FROM objects o WHERE o.pack_id = ? AND EXISTS (SELECT 1 FROM objects p WHERE p.oid = o.oid AND p.pack_id != o.pack_id) LIMIT 1";
  return sql.exec(query, packId).toArray().length > 0;
}
