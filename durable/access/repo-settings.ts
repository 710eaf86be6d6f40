// The owner of `settings_events`: the repository's access settings (visibility and protection rules)
// as an append-only log, one event per change with its actor and time. The current settings are the
// last value of each column; a repository with no event is private and unprotected. Read once per
// request, by one indexed query per setting.
import type { Principal } from "./principal";
import type { ProtectionRule } from "./protection";

export type Visibility = "public" | "private";

export interface RepoSettings {
  visibility: Visibility;
  protection: ProtectionRule[];
}

export interface SettingsEvent {
  seq: number;
  actor: string;
  actorId: string | null;
  at: number;
  visibility: Visibility | null;
  protection: ProtectionRule[] | null;
}

type Row = { seq: number; actor: string; actor_id: string | null; at: number; visibility: string | null; protection: string | null };

const COLUMNS = "seq, actor, actor_id, at, visibility, protection";

function fromRow(r: Row): SettingsEvent {
  return { seq: r.seq, actor: r.actor, actorId: r.actor_id, at: r.at, visibility: r.visibility as Visibility | null, protection: r.protection === null ? null : (JSON.parse(r.protection) as ProtectionRule[]) };
}

export function currentSettings(sql: SqlStorage): RepoSettings {
  const visibility = sql.exec<{ visibility: string }>("SELECT visibility FROM settings_events WHERE visibility IS NOT NULL ORDER BY seq DESC LIMIT 1").toArray()[0]?.visibility;
  const protection = sql.exec<{ protection: string }>("SELECT protection FROM settings_events WHERE protection IS NOT NULL ORDER BY seq DESC LIMIT 1").toArray()[0]?.protection;
  return { visibility: (visibility as Visibility | undefined) ?? "private", protection: protection ? (JSON.parse(protection) as ProtectionRule[]) : [] };
}

/**
 * Appends one event with the settings in `change` that differ from the current ones, and returns it;
 * null when nothing differs (nothing is appended).
 */
export function changeSettings(sql: SqlStorage, change: Partial<RepoSettings>, by: Principal, at = Date.now()): SettingsEvent | null {
  const now = currentSettings(sql);
  const visibility = change.visibility !== undefined && change.visibility !== now.visibility ? change.visibility : null;
  const protection = change.protection !== undefined && JSON.stringify(change.protection) !== JSON.stringify(now.protection) ? change.protection : null;
  if (visibility === null && protection === null) return null;
  const row = sql
    .exec<Row>(
      `INSERT INTO settings_events (actor, actor_id, at, visibility, protection) VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      by.actor,
      by.actorId,
      at,
      visibility,
      protection === null ? null : JSON.stringify(protection),
    )
    .one();
  return fromRow(row);
}

/** Up to `limit` events after `after` (exclusive) in `order`, for paging. */
export function settingsEventPage(sql: SqlStorage, order: "asc" | "desc", after: number | undefined, limit: number): SettingsEvent[] {
  const where = after === undefined ? "" : order === "asc" ? "WHERE seq > ?" : "WHERE seq < ?";
  const params = after === undefined ? [limit] : [after, limit];
  return sql.exec<Row>(`SELECT ${COLUMNS} FROM settings_events ${where} ORDER BY seq ${order.toUpperCase()} LIMIT ?`, ...params).toArray().map(fromRow);
}
