// GET ref-log: one page of events, filtered (ref, actor, kind, since, until), newest first unless
// order=asc, with an opaque cursor for the next page (keyset paging on seq).
import { eventPage } from "../refs/audit";
import type { ApiContext } from "./context";
import { eventJson } from "./event-json";
import { FILTER_PARAMS, page, PAGING_PARAMS, parseFilter, parsePaging, readQuery } from "./params";

const PARAMS = [...FILTER_PARAMS, ...PAGING_PARAMS];

export function getRefLog({ repo, url }: ApiContext): Response {
  const query = readQuery(url, PARAMS);
  const filter = parseFilter(query);
  const paging = parsePaging(query);
  const { items, nextCursor } = page(eventPage(repo.sql, filter, { order: paging.order, after: paging.after }, paging.limit + 1), paging);
  return Response.json({ events: items.map(eventJson), nextCursor });
}
