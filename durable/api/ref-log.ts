// GET ref-log: one page of events, filtered (ref, actor, kind, since, until), newest first unless
// order=asc, with an opaque cursor for the next page (keyset paging on seq).
import { eventPage } from "../refs/audit";
import type { ApiContext } from "./context";
import { encodeCursor } from "./cursor";
import { eventJson } from "./event-json";
import { badParameter, FILTER_PARAMS, parseCursor, parseFilter, parseLimit, parseOrder, readQuery } from "./params";

const PARAMS = [...FILTER_PARAMS, "limit", "cursor", "order"];

export function getRefLog({ repo, url }: ApiContext): Response {
  const query = readQuery(url, PARAMS);
  const filter = parseFilter(query);
  const limit = parseLimit(query.get("limit"));
  const cursor = parseCursor(query.get("cursor"));
  const asked = parseOrder(query.get("order"));
  if (cursor && asked && cursor.order !== asked) throw badParameter("cursor", `it continues a listing in order=${cursor.order}, not ${asked}`);
  const order = asked ?? cursor?.order ?? "desc";
  // One row more than the page tells whether another page follows.
  const rows = eventPage(repo.sql, filter, { order, after: cursor?.seq }, limit + 1);
  const events = rows.slice(0, limit);
  const last = events[events.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ order, seq: last.seq }) : null;
  return Response.json({ events: events.map(eventJson), nextCursor });
}
