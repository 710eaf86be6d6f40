// GET settings-log: the repository's changes of visibility, protection and description, and its
// deletions and undeletions, newest first unless order=asc, paged with the same cursors as the ref
// log. Each event has the settings it changed.
import type { SettingsEvent } from "../access/repo-settings";
import { settingsEventPage } from "../access/repo-settings";
import type { ApiContext } from "./context";
import { isoTime } from "./event-json";
import { page, PAGING_PARAMS, parsePaging, readQuery } from "./params";

export function getSettingsLog({ repo, url }: ApiContext): Response {
  const paging = parsePaging(readQuery(url, PAGING_PARAMS));
  const { items, nextCursor } = page(settingsEventPage(repo.sql, paging.order, paging.after, paging.limit + 1), paging);
  return Response.json({ events: items.map(settingsEventJson), nextCursor });
}

export function settingsEventJson(e: SettingsEvent): Record<string, unknown> {
  const json: Record<string, unknown> = { seq: e.seq, actor: e.actor, actorId: e.actorId, at: isoTime(e.at) };
  if (e.visibility !== null) json.visibility = e.visibility;
  if (e.protection !== null) json.protection = e.protection;
  if (e.description !== null) json.description = e.description;
  if (e.deleted !== null) json.deleted = e.deleted;
  return json;
}
