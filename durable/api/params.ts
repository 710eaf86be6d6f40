// Query parameters of the API routes: each route names the ones it accepts, and every value is
// checked here; anything wrong is a 400 that says which parameter and why.
import type { EventFilter, Order, RefMatch } from "../refs/audit";
import type { RefEventKind } from "../refs/log";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor";
import { ApiError } from "../errors";
import { parseIsoTime } from "./iso-time";

/** 400 for one request parameter (or body field) that is missing or wrong. */
export function badParameter(name: string, detail: string): ApiError {
  return new ApiError(400, `invalid parameter '${name}'`, detail);
}

export const KINDS: readonly RefEventKind[] = ["create", "update", "delete", "force", "restore"];
export const FILTER_PARAMS = ["ref", "actor", "kind", "since", "until"] as const;
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/** The query string of a request, refused (400) when it holds a parameter the route does not know or one given twice. */
export function readQuery(url: URL, accepted: readonly string[]): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!accepted.includes(name)) throw badParameter(name, `unknown parameter; this route accepts ${accepted.length ? accepted.join(", ") : "none"}`);
    if (query.has(name)) throw badParameter(name, "given more than once");
    query.set(name, value);
  }
  return query;
}

/** ref, actor, kind, since, until. */
export function parseFilter(query: Map<string, string>): EventFilter {
  const filter: EventFilter = {};
  const ref = query.get("ref");
  if (ref !== undefined) filter.ref = parseRefMatch(ref);
  const actor = query.get("actor");
  if (actor !== undefined) filter.actor = actor;
  const kind = query.get("kind");
  if (kind !== undefined) filter.kinds = parseKinds(kind);
  const since = query.get("since");
  if (since !== undefined) filter.since = parseTime("since", since);
  const until = query.get("until");
  if (until !== undefined) filter.until = parseTime("until", until);
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) throw badParameter("until", "must not be before since");
  return filter;
}

/** An exact ref name, or a prefix glob with one trailing "*" (refs/tags/*). */
export function parseRefMatch(value: string): RefMatch {
  if (value === "") throw badParameter("ref", "must not be empty");
  const star = value.indexOf("*");
  if (star === -1) return { exact: value };
  if (star !== value.length - 1) throw badParameter("ref", `'*' may only end the pattern (like refs/tags/*), got ${JSON.stringify(value)}`);
  return { prefix: value.slice(0, -1) };
}

/** One kind, or several separated by commas. */
export function parseKinds(value: string): RefEventKind[] {
  const kinds = value.split(",");
  for (const k of kinds) {
    if (!KINDS.includes(k as RefEventKind)) throw badParameter("kind", `unknown kind ${JSON.stringify(k)}; expected one of ${KINDS.join(", ")} (comma-separated for several)`);
  }
  return [...new Set(kinds)] as RefEventKind[];
}

export function parseTime(name: string, value: string): number {
  const ms = parseIsoTime(value);
  if (ms === null) throw badParameter(name, `not an ISO-8601 time (like 2024-05-01 or 2024-05-01T12:00:00Z): ${JSON.stringify(value)}`);
  return ms;
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) throw badParameter("limit", `must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(value)}`);
  return n;
}

export function parseOrder(value: string | undefined): Order | undefined {
  if (value === undefined || value === "asc" || value === "desc") return value;
  throw badParameter("order", `must be asc or desc, got ${JSON.stringify(value)}`);
}

export function parseCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  const cursor = decodeCursor(value);
  if (!cursor) throw badParameter("cursor", "not a cursor this API issued (pass nextCursor back unchanged)");
  return cursor;
}

/** A non-negative event seq given as decimal digits. */
export function parseSeq(name: string, value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw badParameter(name, `must be an event seq (a non-negative integer), got ${JSON.stringify(value)}`);
  return n;
}

/** `at`: an event seq (digits only) or an ISO-8601 time. */
export function parseAt(value: string): { seq: number } | { time: number } {
  return /^\d+$/.test(value) ? { seq: parseSeq("at", value) } : { time: parseTime("at", value) };
}

export const PAGING_PARAMS = ["limit", "cursor", "order"] as const;

export interface Paging {
  limit: number;
  order: Order;
  /** The seq the page starts after (exclusive), from the cursor. */
  after?: number;
}

/** limit, cursor and order: a cursor continues the order it was issued in. */
export function parsePaging(query: Map<string, string>): Paging {
  const limit = parseLimit(query.get("limit"));
  const cursor = parseCursor(query.get("cursor"));
  const asked = parseOrder(query.get("order"));
  if (cursor && asked && cursor.order !== asked) throw badParameter("cursor", `it continues a listing in order=${cursor.order}, not ${asked}`);
  return { limit, order: asked ?? cursor?.order ?? "desc", after: cursor?.seq };
}

/** One page of `rows`, fetched with limit + 1 so that one row more tells whether another page follows. */
export function page<T extends { seq: number }>(rows: T[], paging: Paging): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, paging.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > paging.limit && last ? encodeCursor({ order: paging.order, seq: last.seq }) : null };
}
