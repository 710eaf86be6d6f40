// The owner of the `auth_failures` table, in the registry Durable Object: failed authentications per
// client address in a fixed window. Past the limit, the address is refused until the window ends,
// even with a right secret, so that guessing learns nothing.

export interface FailureLimit {
  /** Failures allowed in one window. */
  limit: number;
  windowMs: number;
}

/** Milliseconds until `client` may try again, or 0 when it may now. */
export function blockedFor(sql: SqlStorage, client: string, rule: FailureLimit, now: number): number {
  const row = sql.exec<{ failures: number; window_start: number }>("SELECT failures, window_start FROM auth_failures WHERE client = ?", client).toArray()[0];
  if (!row || now - row.window_start >= rule.windowMs || row.failures < rule.limit) return 0;
  return row.window_start + rule.windowMs - now;
}

/** Counts one failure of `client`, starting a new window when the last one has ended; forgets ended windows of others. */
export function recordFailure(sql: SqlStorage, client: string, rule: FailureLimit, now: number): void {
  sql.exec("DELETE FROM auth_failures WHERE window_start <= ? AND client != ?", now - rule.windowMs, client);
  sql.exec(
    `INSERT INTO auth_failures (client, failures, window_start) VALUES (?, 1, ?)
     ON CONFLICT (client) DO UPDATE SET
       failures = CASE WHEN ? - window_start >= ? THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN ? - window_start >= ? THEN excluded.window_start ELSE window_start END`,
    client, now, now, rule.windowMs, now, rule.windowMs,
  );
}
