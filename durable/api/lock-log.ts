// GET lock-log: every Git LFS lock and unlock, newest first unless order=asc, paged with the same
// cursors as the ref log.
import { lockEventPage, type LockEvent } from "../lfs/locks";
import type { ApiContext } from "./context";
import { isoTime } from "./event-json";
import { page, PAGING_PARAMS, parsePaging, readQuery } from "./params";

export function getLockLog({ repo, url }: ApiContext): Response {
  const paging = parsePaging(readQuery(url, PAGING_PARAMS));
  const { items, nextCursor } = page(lockEventPage(repo.sql, paging.order, paging.after, paging.limit + 1), paging);
  return Response.json({ events: items.map(lockEventJson), nextCursor });
}

function lockEventJson(e: LockEvent): Record<string, unknown> {
  return { seq: e.seq, kind: e.kind, lockId: String(e.lockId), path: e.path, owner: e.owner, actor: e.actor, actorId: e.actorId, at: isoTime(e.at) };
}
