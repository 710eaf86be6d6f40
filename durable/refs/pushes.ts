// The owner of the `pushes` table: one row per accepted push (who, when, the pack it brought and its
// push options), written in the push's ref transaction and read by the push API.

export interface PushRecord {
  id: string;
  actor: string;
  at: number;
  packId: number | null;
  options: string[];
}

type PushRow = { id: string; actor: string; at: number; pack_id: number | null; options: string };

/** Call inside the transaction that appends the push's events. */
export function recordPush(sql: SqlStorage, push: PushRecord): void {
  sql.exec("INSERT INTO pushes (id, actor, at, pack_id, options) VALUES (?, ?, ?, ?, ?)", push.id, push.actor, push.at, push.packId, JSON.stringify(push.options));
}

export function findPush(sql: SqlStorage, id: string): PushRecord | null {
  const row = sql.exec<PushRow>("SELECT id, actor, at, pack_id, options FROM pushes WHERE id = ?", id).toArray()[0];
  return row ? { id: row.id, actor: row.actor, at: row.at, packId: row.pack_id, options: parseOptions(row.options) } : null;
}

/** The newest accepted push, or null before the first. */
export function lastPush(sql: SqlStorage): PushRecord | null {
  const row = sql.exec<PushRow>("SELECT id, actor, at, pack_id, options FROM pushes ORDER BY at DESC, rowid DESC LIMIT 1").toArray()[0];
  return row ? { id: row.id, actor: row.actor, at: row.at, packId: row.pack_id, options: parseOptions(row.options) } : null;
}

function parseOptions(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
}
