// Locks kept on the server's side too: a push that changes a file someone else has locked is refused
// for that ref, whether or not the client checked (git-lfs only checks with lfs.locksverify set, and
// plain git never does). A branch's change is its new tip's tree against its old tip's (a new branch:
// against the default branch), at each locked path only, so the check costs one lock query for a
// repository without others' locks, and a few tree reads per lock otherwise.
import type { Principal } from "../access/principal";
import { entryAt, rootTree } from "../browse/tree-path";
import { ZERO_OID } from "../protocol/oid";
import type { RefCommand } from "../protocol/update-request";
import type { Repository } from "../repository";
import { listLocks, ownsLock, type Lock } from "./locks";

/** Locks checked on a push at most (beyond, the client's own check remains). */
const MAX_CHECKED = 1000;

/** Those of the repository's locks that `pusher` does not own. */
export function othersLocks(repo: Repository, pusher: Principal): Lock[] {
  return listLocks(repo.sql, { limit: MAX_CHECKED }).filter((l) => !ownsLock(l, pusher));
}

/** The refusal of `command` if it changes a path one of `locks` holds, or null. */
export async function lockRefusal(repo: Repository, command: RefCommand, locks: Lock[], packId: number | undefined): Promise<string | null> {
  if (locks.length === 0 || command.newOid === ZERO_OID || !command.ref.startsWith("refs/heads/")) return null;
  const base = command.oldOid !== ZERO_OID ? command.oldOid : repo.refs.get(repo.refs.head());
  if (!base) return null;
  const [before, after] = await Promise.all([rootTree(repo.store, base, packId), rootTree(repo.store, command.newOid, packId)]);
  const at = async (tree: string | null, path: string) => {
    const entry = await entryAt(repo.store, tree, path, packId);
    return entry && `${entry.mode} ${entry.oid}`;
  };
  for (const lock of locks) {
    if ((await at(before, lock.path)) === (await at(after, lock.path))) continue;
    return `${lock.path} is locked by ${lock.owner}: ask them to unlock it (git lfs unlock ${lock.path})`;
  }
  return null;
}
