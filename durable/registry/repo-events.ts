// The owner of `registry_events`, in the registry Durable Object: the append-only log of repositories
// created, deleted, undeleted and purged, each with its actor and time (GET /api/registry-log).

export type RepoEventKind = "created" | "deleted" | "undeleted" | "purged";

export interface RepoEvent {
  seq: number;
  kind: RepoEventKind;
  repo: string;
  actor: string;
  actorId: string | null;
  at: number;
}

/** Who did it: a token's name and id, "admin", "anonymous", or "retention" for a purge. */
export interface Actor {
  actor: string;
  actorId: string | null;
}

type Row = { seq: number; kind: string; repo: string; actor: string; actor_id: string | null; at: number };

const COLUMNS = "seq, kind, repo, actor, actor_id, at";

function fromRow(r: Row): RepoEvent {
  return { seq: r.seq, kind: r.kind as RepoEventKind, repo: r.repo, actor: r.actor, actorId: r.actor_id, at: r.at };
}

export function appendRepoEvent(sql: SqlStorage, kind: RepoEventKind, repo: string, by: Actor, at: number): RepoEvent {
  return fromRow(sql.exec<Row>(`INSERT INTO registry_events (kind, repo, actor, actor_id, at) VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`, kind, repo, by.actor, by.actorId, at).one());
}

/** Up to `limit` events after `after` (exclusive) in `order`, of one repository or of all. */
export function repoEventPage(sql: SqlStorage, order: "asc" | "desc", after: number | undefined, limit: number, repo?: string): RepoEvent[] {
  const where: string[] = [];
  const params: SqlStorageValue[] = [];
  if (repo !== undefined) {
    where.push("repo = ?");
    params.push(repo);
  }
  if (after !== undefined) {
    where.push(order === "asc" ? "seq > ?" : "seq < ?");
    params.push(after);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return sql.exec<Row>(`SELECT ${COLUMNS} FROM registry_events ${clause} ORDER BY seq ${order.toUpperCase()} LIMIT ?`, ...params, limit).toArray().map(fromRow);
}
