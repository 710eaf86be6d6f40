// The JSON shape of one ref event in every API answer: the log's fields, with `at` as ISO-8601 UTC.
import type { RefEvent } from "../refs/log";

export interface EventJson extends Omit<RefEvent, "at"> {
  at: string;
}

export function eventJson(e: RefEvent): EventJson {
  return { seq: e.seq, pushId: e.pushId, ref: e.ref, oldOid: e.oldOid, newOid: e.newOid, kind: e.kind, actor: e.actor, actorId: e.actorId, at: isoTime(e.at), prevHash: e.prevHash };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
