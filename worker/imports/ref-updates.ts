// What an import's push changes: the repository's branches and tags made equal to the remote's.
// Refs the remote has and the repository lacks are created, those that differ are moved (forced, as
// `git fetch --prune '+refs/heads/*:refs/heads/*'` would), and those the remote no longer has are
// deleted. A first import starts from no refs, so it only creates; a mirror's later runs do all three.
import { ZERO_OID } from "../../durable/protocol/oid";

export interface Ref {
  name: string;
  oid: string;
}

export interface RefUpdate {
  name: string;
  old: string;
  new: string;
}

/** The updates that make `local` equal `remote`, in the remote's order, then the deletions. */
export function refUpdates(local: Ref[], remote: Ref[]): RefUpdate[] {
  const have = new Map(local.map((r) => [r.name, r.oid]));
  const remoteNames = new Set(remote.map((r) => r.name));
  const updates: RefUpdate[] = [];
  for (const r of remote) if (have.get(r.name) !== r.oid) updates.push({ name: r.name, old: have.get(r.name) ?? ZERO_OID, new: r.oid });
  for (const r of local) if (!remoteNames.has(r.name)) updates.push({ name: r.name, old: r.oid, new: ZERO_OID });
  return updates;
}
