// Filtered reads of the ref event log for the audit API: one page in seq order (keyset on seq), or
// every matching event in bounded batches. Every statement is built here so tests can EXPLAIN it.
import { EVENT_COLUMNS, eventFromRow, type RefEvent, type RefEventKind } from "./log";

/** A ref filter: one exact name, or every name that starts with `prefix` (a `refs/tags/*` glob). */
export type RefMatch = { exact: string } | { prefix: string };

export interface EventFilter {
  ref?: RefMatch;
  actor?: string;
  kinds?: RefEventKind[];
  /** ms since the epoch, inclusive. */
  since?: number;
  /** ms since the epoch, exclusive. */
  until?: number;
}

export type Order = "asc" | "desc";

/** Where a page starts: strictly after `seq` in the page's order (asc: seq > it, desc: seq < it). */
export interface Keyset {
  order: Order;
  after?: number;
  /** asc only: stop at this seq (inclusive), so that a stream ends where the log ended when it began. */
  upTo?: number;
}

export interface Statement {
  sql: string;
  params: SqlStorageValue[];
}

/** The SELECT for one page of `limit` events matching `filter`, in keyset order. */
export function eventPageQuery(filter: EventFilter, keyset: Keyset, limit: number): Statement {
  const where: string[] = [];
  const params: SqlStorageValue[] = [];
  const add = (clause: string, ...values: SqlStorageValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (filter.ref && "exact" in filter.ref) add("ref = ?", filter.ref.exact);
  if (filter.ref && "prefix" in filter.ref) addPrefix(filter.ref.prefix, add);
  if (filter.actor !== undefined) add("(actor = ? OR actor_id = ?)", filter.actor, filter.actor);
  if (filter.kinds?.length) add(`kind IN (${filter.kinds.map(() => "?").join(", ")})`, ...filter.kinds);
  if (filter.since !== undefined) add("at >= ?", filter.since);
  if (filter.until !== undefined) add("at < ?", filter.until);
  if (keyset.after !== undefined) add(keyset.order === "asc" ? "seq > ?" : "seq < ?", keyset.after);
  if (keyset.upTo !== undefined) add("seq <= ?", keyset.upTo);
  const sql = `SELECT ${EVENT_COLUMNS} FROM ref_events${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${keyset.order.toUpperCase()} LIMIT ?`;
  return { sql, params: [...params, limit] };
}

/**
 * A prefix as an index range [prefix, next) where `next` is the smallest string above every name
 * with that prefix (its last code point plus one), so SQLite seeks the (ref, seq) index instead of
 * testing every row. Without such a bound (a prefix ending in U+10FFFF) the range is open above and
 * an exact prefix test keeps the result right.
 */
function addPrefix(prefix: string, add: (clause: string, ...values: SqlStorageValue[]) => void): void {
  if (prefix === "") return;
  const next = prefixSuccessor(prefix);
  if (next !== null) add("ref >= ? AND ref < ?", prefix, next);
  else add("ref >= ? AND substr(ref, 1, ?) = ?", prefix, [...prefix].length, prefix);
}

function prefixSuccessor(prefix: string): string | null {
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  if (last >= 0x10ffff) return null;
  const bumped = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return points.join("") + String.fromCodePoint(bumped);
}

/** Runs a SELECT of EVENT_COLUMNS. */
function events(sql: SqlStorage, q: Statement): RefEvent[] {
  return sql.exec(q.sql, ...q.params).toArray().map((r) => eventFromRow(r as Parameters<typeof eventFromRow>[0]));
}

/** One page of events. */
export function eventPage(sql: SqlStorage, filter: EventFilter, keyset: Keyset, limit: number): RefEvent[] {
  return events(sql, eventPageQuery(filter, keyset, limit));
}

/**
 * Every event matching `filter` with seq <= `upTo`, in seq order, `size` at a time: each batch is
 * one indexed query that starts after the previous batch's last seq, so memory stays bounded.
 */
export function* eventBatches(sql: SqlStorage, filter: EventFilter, upTo: number, size: number): Generator<RefEvent[]> {
  let after = 0;
  for (;;) {
    const batch = eventPage(sql, filter, { order: "asc", after, upTo }, size);
    if (batch.length > 0) yield batch;
    if (batch.length < size) return;
    after = batch[batch.length - 1]!.seq;
  }
}

/** The SELECT for the events one push (or restore) appended, through the push_id index. */
export function pushEventsQuery(pushId: string): Statement {
  return { sql: `SELECT ${EVENT_COLUMNS} FROM ref_events WHERE push_id = ? ORDER BY seq`, params: [pushId] };
}

export function pushEvents(sql: SqlStorage, pushId: string): RefEvent[] {
  return events(sql, pushEventsQuery(pushId));
}
