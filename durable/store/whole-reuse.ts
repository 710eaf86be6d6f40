// Whether the live packs, taken whole, hold exactly the repository's reachable objects, each once. While
// they do, a full clone is served by concatenating them (pack/concat.ts) instead of walking history,
// as git serves a bitmapped pack verbatim. Anything that may leave an object unreachable or stored twice
// (a forced update, a delete, a restore, a partly rejected push, a resent object) turns this off until
// a repack (housekeeping/repack.ts) turns it back on, with its pack of unreachable objects set aside.
import type { RefEvent, RefEventKind } from "../refs/log";
import { metaDelete, metaGet, metaInit, metaSet } from "./meta";

/** Ref changes after which the old tip's history may be unreachable. */
const UNREACHING_KINDS: ReadonlySet<RefEventKind> = new Set(["force", "delete", "restore"]);

export function wholeReuseAllowed(sql: SqlStorage): boolean {
  return metaGet(sql, "whole_reuse_off") === undefined;
}

/** Why whole-pack reuse is off (the first event that turned it off), or null while it is on. */
export function wholeReuseBlocker(sql: SqlStorage): string | null {
  return metaGet(sql, "whole_reuse_off") ?? null;
}

/** Turns whole-pack reuse off, recording the first reason. */
export function turnOffWholeReuse(sql: SqlStorage, reason: string): void {
  metaInit(sql, "whole_reuse_off", reason);
}

/** Turns whole-pack reuse back on after a repack; `cruft` is its pack of unreachable objects, never sent whole. */
export function turnOnWholeReuse(sql: SqlStorage, cruft: number | null): void {
  metaDelete(sql, "whole_reuse_off", "cruft_pack");
  if (cruft !== null) metaSet(sql, "cruft_pack", String(cruft));
}

/** The pack of unreachable objects the last repack wrote, if any. */
export function cruftPack(sql: SqlStorage): number | null {
  const value = metaGet(sql, "cruft_pack");
  return value === undefined ? null : Number(value);
}

/** Turns whole-pack reuse off after ref events that may leave the old tip's history unreachable. */
export function noteRefEvents(sql: SqlStorage, events: RefEvent[]): RefEvent[] {
  for (const e of events) if (UNREACHING_KINDS.has(e.kind)) turnOffWholeReuse(sql, `${e.kind} of ${e.ref}`);
  return events;
}
