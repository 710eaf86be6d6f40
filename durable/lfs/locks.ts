// The owner of `lfs_lock_events` and `lfs_locks`: Git LFS file locks as an append-only log of lock
// and unlock events (like the ref log), whose projection is the current locks, written in the same
// synchronous step so that the two never disagree. A lock's id is the seq of the event that made it.
// Locks are per repository, not per ref, as on GitHub: the `ref` a client names is kept, not matched.
import type { Principal } from "../access/principal";
import type { Order } from "../refs/audit";

export interface Lock {
  id: number;
  path: string;
  ref: string | null;
  owner: string;
  ownerId: string | null;
  lockedAt: number;
}

export type LockEventKind = "lock" | "unlock" | "force-unlock";

export interface LockEvent {
  seq: number;
  kind: LockEventKind;
  lockId: number;
  path: string;
  owner: string;
  actor: string;
  actorId: string | null;
  at: number;
}

type LockRow = { id: number; path: string; ref: string | null; owner: string; owner_id: string | null; locked_at: number };
type EventRow = { seq: number; kind: string; lock_id: number; path: string; owner: string; actor: string; actor_id: string | null; at: number };

const LOCK_COLUMNS = "id, path, ref, owner, owner_id, locked_at";
const EVENT_COLUMNS = "seq, kind, lock_id, path, owner, actor, actor_id, at";

const fromLockRow = (r: LockRow): Lock => ({ id: r.id, path: r.path, ref: r.ref, owner: r.owner, ownerId: r.owner_id, lockedAt: r.locked_at });
const fromEventRow = (r: EventRow): LockEvent => ({ seq: r.seq, kind: r.kind as LockEventKind, lockId: r.lock_id, path: r.path, owner: r.owner, actor: r.actor, actorId: r.actor_id, at: r.at });

/** Whether `lock` belongs to `who`: the same token, or for the admin and anonymous callers (no token id), the same name. */
export function ownsLock(lock: Lock, who: Principal): boolean {
  return lock.ownerId !== null ? lock.ownerId === who.actorId : who.actorId === null && lock.owner === who.actor;
}

export function lockByPath(sql: SqlStorage, path: string): Lock | null {
  const row = sql.exec<LockRow>(`SELECT ${LOCK_COLUMNS} FROM lfs_locks WHERE path = ?`, path).toArray()[0];
  return row ? fromLockRow(row) : null;
}

export function lockById(sql: SqlStorage, id: number): Lock | null {
  const row = sql.exec<LockRow>(`SELECT ${LOCK_COLUMNS} FROM lfs_locks WHERE id = ?`, id).toArray()[0];
  return row ? fromLockRow(row) : null;
}

/** Locks `path` for `by`, or returns the lock that holds it already. */
export function createLock(sql: SqlStorage, path: string, ref: string | null, by: Principal, at = Date.now()): { lock: Lock } | { existing: Lock } {
  const existing = lockByPath(sql, path);
  if (existing) return { existing };
  // The lock event's seq is its lock's id; the log is append-only, so the next seq is one past the last.
  const seq = sql.exec<{ next: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM lfs_lock_events").one().next;
  sql.exec("INSERT INTO lfs_lock_events (seq, kind, lock_id, path, owner, actor, actor_id, at) VALUES (?, 'lock', ?, ?, ?, ?, ?, ?)", seq, seq, path, by.actor, by.actor, by.actorId, at);
  sql.exec(`INSERT INTO lfs_locks (${LOCK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, seq, path, ref, by.actor, by.actorId, at);
  return { lock: { id: seq, path, ref, owner: by.actor, ownerId: by.actorId, lockedAt: at } };
}

/** Removes `lock`, logged as an unlock by `by` (force-unlock when `by` does not own it). */
export function removeLock(sql: SqlStorage, lock: Lock, by: Principal, at = Date.now()): void {
  const kind: LockEventKind = ownsLock(lock, by) ? "unlock" : "force-unlock";
  sql.exec("INSERT INTO lfs_lock_events (kind, lock_id, path, owner, actor, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)", kind, lock.id, lock.path, lock.owner, by.actor, by.actorId, at);
  sql.exec("DELETE FROM lfs_locks WHERE id = ?", lock.id);
}

export interface LockQuery {
  path?: string;
  id?: number;
  /** The id the page starts after (exclusive). */
  after?: number;
  limit: number;
}

/** Up to `limit` locks matching `q`, in id order. */
export function listLocks(sql: SqlStorage, q: LockQuery): Lock[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.path !== undefined) where.push("path = ?") && params.push(q.path);
  if (q.id !== undefined) where.push("id = ?") && params.push(q.id);
  if (q.after !== undefined) where.push("id > ?") && params.push(q.after);
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return sql.exec<LockRow>(`SELECT ${LOCK_COLUMNS} FROM lfs_locks ${clause} ORDER BY id LIMIT ?`, ...params, q.limit).toArray().map(fromLockRow);
}

/** Up to `limit` lock events after `after` (exclusive) in `order`, for the audit API. */
export function lockEventPage(sql: SqlStorage, order: Order, after: number | undefined, limit: number): LockEvent[] {
  const where = after === undefined ? "" : order === "asc" ? "WHERE seq > ?" : "WHERE seq < ?";
  const params = after === undefined ? [limit] : [after, limit];
  return sql
    .exec<EventRow>(`SELECT ${EVENT_COLUMNS} FROM lfs_lock_events ${where} ORDER BY seq ${order.toUpperCase()} LIMIT ?`, ...params)
    .toArray()
    .map(fromEventRow);
}
