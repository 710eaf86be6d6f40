// What a client is told when a name it wants to create belongs to a deleted repository that has not
// been purged yet: the name stays taken for the retention period, so that undelete can bring it back.
import { isoTime } from "../api/event-json";

export function deletedRefusal(name: string, deletedAt: number, retentionMs: number): string {
  return `${name} was deleted at ${isoTime(deletedAt)} and can be undeleted (POST /api/repos/${name}/undelete) until it is purged at ${isoTime(deletedAt + retentionMs)}; the name is free after that`;
}
