// The owner of `hook_deliveries`: one row per event sent to a hook, with how its last attempt went
// and how many there were, for GET hooks/{id}/deliveries and redelivery. The row's id is the
// delivery id the receiver sees, the same on every retry and redelivery.

export type DeliveryStatus = "pending" | "delivered";

/** One event of the outbox, as it is delivered: which log, which seqs there, and which hook event. */
export interface OutboxItem {
  /** hook id, log and first seq: stable, so that a receiver can drop duplicates. */
  id: string;
  hookId: string;
  event: "push" | "restore" | "repository";
  log: "ref" | "settings";
  firstSeq: number;
  lastSeq: number;
}

export interface Delivery extends OutboxItem {
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  durationMs: number | null;
  error: string | null;
  firstAttemptAt: number;
  lastAttemptAt: number;
}

export interface Attempt {
  ok: boolean;
  responseCode: number | null;
  durationMs: number;
  error: string | null;
}

type Row = {
  id: string;
  hook_id: string;
  event: Delivery["event"];
  log: Delivery["log"];
  first_seq: number;
  last_seq: number;
  status: DeliveryStatus;
  attempts: number;
  response_code: number | null;
  duration_ms: number | null;
  error: string | null;
  first_attempt_at: number;
  last_attempt_at: number;
};

function fromRow(r: Row): Delivery {
  return {
    id: r.id,
    hookId: r.hook_id,
    event: r.event,
    log: r.log,
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    status: r.status,
    attempts: r.attempts,
    responseCode: r.response_code,
    durationMs: r.duration_ms,
    error: r.error,
    firstAttemptAt: r.first_attempt_at,
    lastAttemptAt: r.last_attempt_at,
  };
}

export function deliveryId(hookId: string, log: "ref" | "settings", firstSeq: number): string {
  return `${hookId}-${log === "ref" ? "r" : "s"}${firstSeq}`;
}

/** Records one attempt to deliver `item`. A delivered event stays delivered whatever a redelivery does. */
export function recordAttempt(sql: SqlStorage, item: OutboxItem, attempt: Attempt, now: number): Delivery {
  const row = sql
    .exec<Row>(
      `INSERT INTO hook_deliveries (id, hook_id, event, log, first_seq, last_seq, status, attempts, response_code, duration_ms, error, first_attempt_at, last_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET attempts = attempts + 1, response_code = excluded.response_code, duration_ms = excluded.duration_ms,
         error = excluded.error, last_attempt_at = excluded.last_attempt_at,
         status = CASE WHEN status = 'delivered' THEN status ELSE excluded.status END
       RETURNING *`,
      item.id, item.hookId, item.event, item.log, item.firstSeq, item.lastSeq, attempt.ok ? "delivered" : "pending",
      attempt.responseCode, Math.round(attempt.durationMs), attempt.error, now, now,
    )
    .one();
  return fromRow(row);
}

export function findDelivery(sql: SqlStorage, hookId: string, id: string): Delivery | null {
  const row = sql.exec<Row>("SELECT * FROM hook_deliveries WHERE id = ? AND hook_id = ?", id, hookId).toArray()[0];
  return row ? fromRow(row) : null;
}

/** The attempts so far of an event (0 before the first), for the retry's backoff. */
export function attemptsOf(sql: SqlStorage, id: string): number {
  return sql.exec<{ attempts: number }>("SELECT attempts FROM hook_deliveries WHERE id = ?", id).toArray()[0]?.attempts ?? 0;
}

/** The newest `limit` deliveries of a hook, newest first. */
export function recentDeliveries(sql: SqlStorage, hookId: string, limit: number): Delivery[] {
  return sql.exec<Row>("SELECT * FROM hook_deliveries WHERE hook_id = ? ORDER BY first_attempt_at DESC, id DESC LIMIT ?", hookId, limit).toArray().map(fromRow);
}

export function dropDeliveries(sql: SqlStorage, hookId: string): void {
  sql.exec("DELETE FROM hook_deliveries WHERE hook_id = ?", hookId);
}
