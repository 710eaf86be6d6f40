// The owner of the `hooks` table: the repository's webhooks, each with its place in the ref log and
// the settings log (every event after it is still to be delivered, so the logs are the outbox) and
// the lease of the one sender that may deliver its events at a time, which keeps them in order.

export type HookEvent = "push" | "restore" | "repository";
export const HOOK_EVENTS: readonly HookEvent[] = ["push", "restore", "repository"];

export interface Hook {
  id: string;
  url: string;
  events: HookEvent[];
  active: boolean;
  actor: string;
  createdAt: number;
  refCursor: number;
  settingsCursor: number;
  leaseUntil: number | null;
}

export interface HookSpec {
  url: string;
  secret: string;
  events: HookEvent[];
  active: boolean;
}

type Row = { id: string; url: string; secret: string; events: string; active: number; actor: string; created_at: number; ref_cursor: number; settings_cursor: number; lease_until: number | null };

function fromRow(r: Row): Hook {
  return { id: r.id, url: r.url, events: JSON.parse(r.events) as HookEvent[], active: r.active === 1, actor: r.actor, createdAt: r.created_at, refCursor: r.ref_cursor, settingsCursor: r.settings_cursor, leaseUntil: r.lease_until };
}

/** A new hook; it is sent the events logged after this moment (`cursors`), not older ones. */
export function createHook(sql: SqlStorage, spec: HookSpec, actor: string, cursors: { ref: number; settings: number }, now: number): Hook {
  const id = crypto.randomUUID().replace(/-/g, "").slice(0, 16);
  const row = sql
    .exec<Row>(
      "INSERT INTO hooks (id, url, secret, events, active, actor, created_at, ref_cursor, settings_cursor, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING *",
      id, spec.url, spec.secret, JSON.stringify(spec.events), spec.active ? 1 : 0, actor, now, cursors.ref, cursors.settings,
    )
    .one();
  return fromRow(row);
}

export function findHook(sql: SqlStorage, id: string): Hook | null {
  const row = sql.exec<Row>("SELECT * FROM hooks WHERE id = ?", id).toArray()[0];
  return row ? fromRow(row) : null;
}

/** The key its deliveries are signed with. */
export function hookSecret(sql: SqlStorage, id: string): string | null {
  return sql.exec<{ secret: string }>("SELECT secret FROM hooks WHERE id = ?", id).toArray()[0]?.secret ?? null;
}

export function listHooks(sql: SqlStorage): Hook[] {
  return sql.exec<Row>("SELECT * FROM hooks ORDER BY created_at, id").toArray().map(fromRow);
}

export function activeHooks(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT count(*) AS n FROM hooks WHERE active = 1").one().n;
}

/** Changes the fields `change` has; null when there is no such hook. */
export function updateHook(sql: SqlStorage, id: string, change: Partial<HookSpec>): Hook | null {
  const sets: string[] = [];
  const values: SqlStorageValue[] = [];
  if (change.url !== undefined) sets.push("url = ?") && values.push(change.url);
  if (change.secret !== undefined) sets.push("secret = ?") && values.push(change.secret);
  if (change.events !== undefined) sets.push("events = ?") && values.push(JSON.stringify(change.events));
  if (change.active !== undefined) sets.push("active = ?") && values.push(change.active ? 1 : 0);
  if (sets.length > 0) sql.exec(`UPDATE hooks SET ${sets.join(", ")} WHERE id = ?`, ...values, id);
  return findHook(sql, id);
}

export function deleteHook(sql: SqlStorage, id: string): boolean {
  return sql.exec("DELETE FROM hooks WHERE id = ?", id).rowsWritten > 0;
}

/** Takes the hook's lease until `until`, unless another sender holds one that has not run out. */
export function claimHook(sql: SqlStorage, id: string, now: number, until: number): boolean {
  return sql.exec("UPDATE hooks SET lease_until = ? WHERE id = ? AND active = 1 AND (lease_until IS NULL OR lease_until < ?)", until, id, now).rowsWritten > 0;
}

export function releaseHook(sql: SqlStorage, id: string): void {
  sql.exec("UPDATE hooks SET lease_until = NULL WHERE id = ?", id);
}

/** Moves the hook's place in `log` past `seq` (never back). */
export function advanceHook(sql: SqlStorage, id: string, log: "ref" | "settings", seq: number): void {
  const column = log === "ref" ? "ref_cursor" : "settings_cursor";
  sql.exec(`UPDATE hooks SET ${column} = max(${column}, ?) WHERE id = ?`, seq, id);
}
