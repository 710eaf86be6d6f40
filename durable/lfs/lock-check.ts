// Locks kept on the server's side too: a push that changes a file someone else has locked is refused
// for that ref, whether or not the client checked (git-lfs only checks with lfs.locksverify set, and
// plain git never does). A branch's change is its new tip's tree against its old tip's (a new branch:
// against the default branch), at each locked path only, so the check costs one lock query for a
// repository without others' locks, and a few tree reads per lock otherwise.
import type { Principal } from "../access/principal";
import { parseCommit, parseNamedTree } from "../pack/parse-object";
import { OBJ_COMMIT, OBJ_TREE } from "../pack/types";
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
  const [before, after] = await Promise.all([rootTree(repo, base, packId), rootTree(repo, command.newOid, packId)]);
  for (const lock of locks) {
    if ((await entryAt(repo, before, lock.path, packId)) === (await entryAt(repo, after, lock.path, packId))) continue;
    return `${lock.path} is locked by ${lock.owner}: ask them to unlock it (git lfs unlock ${lock.path})`;
  }
  return null;
}

async function rootTree(repo: Repository, commit: string, packId: number | undefined): Promise<string | null> {
  const object = await repo.store.read(commit, packId);
  return object?.type === OBJ_COMMIT ? parseCommit(object.data).tree : null;
}

/** The mode and id at `path` under tree `tree`, or null where there is nothing. */
async function entryAt(repo: Repository, tree: string | null, path: string, packId: number | undefined): Promise<string | null> {
  let at = tree;
  const names = path.split("/");
  for (let i = 0; i < names.length && at; i++) {
    const object = await repo.store.read(at, packId);
    if (object?.type !== OBJ_TREE) return null;
    const entry = parseNamedTree(object.data).find((e) => e.name === names[i]);
    if (!entry) return null;
    if (i === names.length - 1) return `${entry.mode} ${entry.oid}`;
    at = entry.mode === "40000" ? entry.oid : null;
  }
  return null;
}
