// The owner of `settings_events`: the repository's settings (visibility, protection rules, description)
// and its deletion, as an append-only log, one event per change with its actor and time. The current
// settings are the last value of each column; a repository with no event is private, unprotected,
// without a description, and not deleted. Read once per request, by one query.
import type { Principal } from "./principal";
import type { ProtectionRule } from "./protection";

export type Visibility = "public" | "private";

export interface RepoSettings {
  visibility: Visibility;
  protection: ProtectionRule[];
  description: string;
  /** Soft-deleted: the repository answers 404 until it is undeleted or purged. */
  deleted: boolean;
}

export interface SettingsEvent {
  seq: number;
  actor: string;
  actorId: string | null;
  at: number;
  visibility: Visibility | null;
  protection: ProtectionRule[] | null;
  description: string | null;
  deleted: boolean | null;
}

type Row = { seq: number; actor: string; actor_id: string | null; at: number; visibility: string | null; protection: string | null; description: string | null; deleted: number | null };

const COLUMNS = "seq, actor, actor_id, at, visibility, protection, description, deleted";

function fromRow(r: Row): SettingsEvent {
  return {
    seq: r.seq,
    actor: r.actor,
    actorId: r.actor_id,
    at: r.at,
    visibility: r.visibility as Visibility | null,
    protection: r.protection === null ? null : (JSON.parse(r.protection) as ProtectionRule[]),
    description: r.description,
    deleted: r.deleted === null ? null : r.deleted === 1,
  };
}

const last = (column: string) => `(SELECT ${column} FROM settings_events WHERE ${column} IS NOT NULL ORDER BY seq DESC LIMIT 1) AS ${column}`;
const CURRENT = `SELECT ${["visibility", "protection", "description", "deleted"].map(last).join(", ")}`;

export function currentSettings(sql: SqlStorage): RepoSettings {
  const row = sql.exec<Pick<Row, "visibility" | "protection" | "description" | "deleted">>(CURRENT).one();
  return {
    visibility: (row.visibility as Visibility | null) ?? "private",
    protection: row.protection ? (JSON.parse(row.protection) as ProtectionRule[]) : [],
    description: row.description ?? "",
    deleted: row.deleted === 1,
  };
}

/**
 * Appends one event with the settings in `change` that differ from the current ones, and returns it;
 * null when nothing differs (nothing is appended).
 */
export function changeSettings(sql: SqlStorage, change: Partial<RepoSettings>, by: Principal, at = Date.now()): SettingsEvent | null {
  const now = currentSettings(sql);
  const differs = <K extends keyof RepoSettings>(key: K): RepoSettings[K] | null => {
    const value = change[key];
    return value !== undefined && JSON.stringify(value) !== JSON.stringify(now[key]) ? (value as RepoSettings[K]) : null;
  };
  const visibility = differs("visibility");
  const protection = differs("protection");
  const description = differs("description");
  const deleted = differs("deleted");
  if (visibility === null && protection === null && description === null && deleted === null) return null;
  const row = sql
    .exec<Row>(
      `INSERT INTO settings_events (actor, actor_id, at, visibility, protection, description, deleted) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      by.actor,
      by.actorId,
      at,
      visibility,
      protection === null ? null : JSON.stringify(protection),
      description,
      deleted === null ? null : deleted ? 1 : 0,
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

/** The seq of the newest event (0 before the first). */
export function lastSettingsSeq(sql: SqlStorage): number {
  return sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM settings_events").one().seq ?? 0;
}
