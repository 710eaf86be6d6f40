// GET pushes/{pushId}: one push with its events, actor, time, the pack it brought and its push
// options. A restore has no pushes row; its pushId still answers, from its event.
import { pushEvents } from "../refs/audit";
import type { ApiContext } from "./context";
import { ApiError } from "./errors";
import { eventJson, isoTime } from "./event-json";
import { readQuery } from "./params";

type PushRow = {
  actor: string;
  at: number;
  pack_id: number | null;
  options: string;
};

export function getPush({ repo, url, params }: ApiContext): Response {
  readQuery(url, []);
  const pushId = params.pushId!;
  const push = repo.sql.exec<PushRow>("SELECT actor, at, pack_id, options FROM pushes WHERE id = ?", pushId).toArray()[0];
  const events = pushEvents(repo.sql, pushId);
  const first = events[0];
  if (!push && !first) throw new ApiError(404, "push not found", { pushId });
  const pack = push?.pack_id == null ? null : (repo.sql.exec<{ id: number; bytes: number }>("SELECT id, bytes FROM packs WHERE id = ?", push.pack_id).toArray()[0] ?? null);
  return Response.json({
    pushId,
    actor: push?.actor ?? first!.actor,
    at: isoTime(push?.at ?? first!.at),
    pack,
    options: push ? parseOptions(push.options) : [],
    events: events.map(eventJson),
  });
}

function parseOptions(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
}
