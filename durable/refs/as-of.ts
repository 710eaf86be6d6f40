// Refs as they were in the past, computed from the event log: the value of a ref after event N is
// the new oid of its latest event with seq <= N. Every lookup seeks the (ref, seq) index.
import { ZERO_OID } from "../protocol/oid";
import type { Statement } from "./audit";

/**
 * Every ref with its value right after event `seq`, deleted refs left out. The recursive part walks
 * the distinct ref names through the (ref, seq) index, one seek per name (a loose index scan that
 * SQLite does not do by itself for GROUP BY); each name then costs one more seek for its latest
 * event at or before `seq`. So the cost grows with the number of refs, not with the log's length
 * (bench/ref-log.bench.ts compares it with a plain GROUP BY, which reads the whole index).
 */
export function refsAsOfQuery(seq: number): Statement {
  const sql = `WITH RECURSIVE names(ref) AS (
      SELECT min(ref) FROM ref_events
      UNION ALL
      SELECT (SELECT min(ref) FROM ref_events WHERE ref > names.ref) FROM names WHERE names.ref IS NOT NULL
    )
    SELECT e.ref AS ref, e.new_oid AS oid
    FROM names JOIN ref_events e ON e.seq = (SELECT max(seq) FROM ref_events WHERE ref = names.ref AND seq <= ?)
    WHERE e.new_oid != ?
    ORDER BY e.ref`;
  return { sql, params: [seq, ZERO_OID] };
}

/** Refs right after event `seq`, sorted by name. */
export function refsAsOf(sql: SqlStorage, seq: number): Map<string, string> {
  const q = refsAsOfQuery(seq);
  const refs = new Map<string, string>();
  for (const r of sql.exec<{ ref: string; oid: string }>(q.sql, ...q.params)) refs.set(r.ref, r.oid);
  return refs;
}

/** One ref's value right after event `seq` (ZERO_OID when it did not exist then). */
export function refAsOf(sql: SqlStorage, ref: string, seq: number): string {
  const row = sql.exec<{ oid: string }>("SELECT new_oid AS oid FROM ref_events WHERE ref = ? AND seq <= ? ORDER BY seq DESC LIMIT 1", ref, seq).toArray()[0];
  return row?.oid ?? ZERO_OID;
}

/**
 * The seq of the last event recorded at or before `ms` (0 before the first event), through the
 * index on `at`. Events are appended with the Durable Object's clock, so `at` does not decrease
 * along seq; ties resolve to the highest seq.
 */
export function seqAtTime(sql: SqlStorage, ms: number): number {
  return sql.exec<{ seq: number }>("SELECT seq FROM ref_events WHERE at <= ? ORDER BY at DESC, seq DESC LIMIT 1", ms).toArray()[0]?.seq ?? 0;
}

/** Whether event `seq` exists. */
export function eventExists(sql: SqlStorage, seq: number): boolean {
  return sql.exec("SELECT 1 FROM ref_events WHERE seq = ?", seq).toArray().length > 0;
}
