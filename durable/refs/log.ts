// The ref event log and its projection: every ref change is appended to ref_events (hash-chained)
// and applied to refs in the same transaction. HEAD is a symref kept in meta.
import { createHash } from "node:crypto";
import { ZERO_OID } from "../protocol/oid";
import { metaGet, metaSet } from "../store/meta";

export type RefEventKind = "create" | "update" | "delete" | "force" | "restore";

export interface RefEvent {
  seq: number;
  pushId: string;
  ref: string;
  oldOid: string;
  newOid: string;
  kind: RefEventKind;
  /** The token's name (or "admin", "anonymous"). */
  actor: string;
  /** The token's id, when a token made the change. */
  actorId: string | null;
  at: number;
  prevHash: string;
}

export type NewRefEvent = Omit<RefEvent, "seq" | "prevHash" | "at" | "actorId"> & { actorId?: string | null };

export const GENESIS_HASH = "0".repeat(64);

/**
 * The canonical form an event's successor hashes: one field per line, in column order; the actor's
 * id, when there is one, last (events written before tokens existed keep their form).
 */
export function canonicalEvent(e: RefEvent): string {
  const fields: (string | number)[] = [e.seq, e.pushId, e.ref, e.oldOid, e.newOid, e.kind, e.actor, e.at, e.prevHash];
  if (e.actorId !== null) fields.push(e.actorId);
  return fields.join("\n");
}

export function eventHash(e: RefEvent): string {
  return createHash("sha256").update(canonicalEvent(e)).digest("hex");
}

type EventRow = {
  seq: number;
  push_id: string;
  ref: string;
  old_oid: string;
  new_oid: string;
  kind: string;
  actor: string;
  actor_id: string | null;
  at: number;
  prev_hash: string;
};

export function eventFromRow(r: EventRow): RefEvent {
  return { seq: r.seq, pushId: r.push_id, ref: r.ref, oldOid: r.old_oid, newOid: r.new_oid, kind: r.kind as RefEventKind, actor: r.actor, actorId: r.actor_id, at: r.at, prevHash: r.prev_hash };
}

export const EVENT_COLUMNS = "seq, push_id, ref, old_oid, new_oid, kind, actor, actor_id, at, prev_hash";

export class RefLog {
  constructor(private readonly sql: SqlStorage) {}

  /** Current refs, sorted by name. */
  all(): Map<string, string> {
    const refs = new Map<string, string>();
    for (const r of this.sql.exec<{ name: string; oid: string }>("SELECT name, oid FROM refs ORDER BY name")) refs.set(r.name, r.oid);
    return refs;
  }

  get(ref: string): string | null {
    return this.sql.exec<{ oid: string }>("SELECT oid FROM refs WHERE name = ?", ref).toArray()[0]?.oid ?? null;
  }

  /**
   * Stored refs that `ref` would clash with as file and directory: each of its parent paths that is a
   * ref (refs/heads/a for refs/heads/a/b), and any ref below it (refs/heads/a/b for refs/heads/a).
   */
  conflicting(ref: string): string[] {
    const parts = ref.split("/");
    const parents = parts.slice(1, -1).map((_, i) => parts.slice(0, i + 2).join("/"));
    const found: string[] = [];
    for (let i = 0; i < parents.length; i += 100) {
      const batch = parents.slice(i, i + 100);
      for (const r of this.sql.exec<{ name: string }>(`SELECT name FROM refs WHERE name IN (${batch.map(() => "?").join(", ")})`, ...batch)) found.push(r.name);
    }
    // '0' is the character after '/': the range holds exactly the names that start with ref + "/".
    for (const r of this.sql.exec<{ name: string }>("SELECT name FROM refs WHERE name > ? AND name < ? LIMIT 100", `${ref}/`, `${ref}0`)) found.push(r.name);
    return found;
  }

  lastSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM ref_events").one().seq ?? 0;
  }

  /** Appends events and applies them to refs, and returns them as written. Call inside a transaction. */
  append(events: NewRefEvent[], at = Date.now()): RefEvent[] {
    const last = this.sql.exec<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ref_events ORDER BY seq DESC LIMIT 1`).toArray()[0];
    let prevHash = last ? eventHash(eventFromRow(last)) : GENESIS_HASH;
    const written: RefEvent[] = [];
    for (const e of events) {
      const seq = this.sql.exec<{ seq: number }>(
        "INSERT INTO ref_events (push_id, ref, old_oid, new_oid, kind, actor, actor_id, at, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        e.pushId, e.ref, e.oldOid, e.newOid, e.kind, e.actor, e.actorId ?? null, at, prevHash,
      ).one().seq;
      const event: RefEvent = { ...e, actorId: e.actorId ?? null, seq, at, prevHash };
      this.project(event);
      prevHash = eventHash(event);
      written.push(event);
    }
    return written;
  }

  /** Applies one event to the refs projection. */
  private project(e: RefEvent): void {
    if (e.newOid === ZERO_OID) this.sql.exec("DELETE FROM refs WHERE name = ?", e.ref);
    else this.sql.exec("INSERT INTO refs (name, oid, seq) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET oid = excluded.oid, seq = excluded.seq", e.ref, e.newOid, e.seq);
  }

  /** The symref HEAD points to (refs/heads/main until a push says otherwise). */
  head(): string {
    return metaGet(this.sql, "HEAD") ?? "refs/heads/main";
  }

  /**
   * Keeps HEAD on a branch that exists: main when there is one, else the first branch `created`
   * names, else the oldest branch. Left alone while no branch exists.
   */
  repointHead(created: string[]): void {
    const current = this.head();
    if (this.get(current)) return;
    const branches = this.sql.exec<{ name: string }>("SELECT name FROM refs WHERE name LIKE 'refs/heads/%' ORDER BY seq").toArray().map((r) => r.name);
    const target = branches.includes("refs/heads/main") ? "refs/heads/main" : (created.find((r) => branches.includes(r)) ?? branches[0]);
    if (target) metaSet(this.sql, "HEAD", target);
  }
}
