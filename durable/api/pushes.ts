// GET pushes/{pushId}: one push with its events, actor, time, the pack it brought and its push
// options. A restore has no pushes row; its pushId still answers, from its event.
import { ApiError } from "../errors";
import { pushEvents } from "../refs/audit";
import { findPush } from "../refs/pushes";
import type { ApiContext } from "./context";
import { eventJson, isoTime } from "./event-json";
import { readQuery } from "./params";

export function getPush({ repo, url, params }: ApiContext): Response {
  readQuery(url, []);
  const pushId = params.pushId!;
  const push = findPush(repo.sql, pushId);
  const events = pushEvents(repo.sql, pushId);
  const first = events[0];
  if (!push && !first) throw new ApiError(404, "push not found", { pushId });
  const pack = push?.packId == null ? null : repo.packs.get(push.packId);
  return Response.json({
    pushId,
    actor: push?.actor ?? first!.actor,
    at: isoTime(push?.at ?? first!.at),
    pack: pack ? { id: pack.id, bytes: pack.bytes } : null,
    options: push?.options ?? [],
    events: events.map(eventJson),
  });
}
