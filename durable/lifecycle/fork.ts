// Forks, as the fork job (worker/repos/fork-job.ts) copies a repository into a new one. The source
// gives a snapshot (its refs and HEAD, and the packs that hold their objects) and then the packs'
// bytes and index rows, a slice at a time, whether a pack is in SQLite or archived in R2. The target
// writes each pack verbatim as a new incoming pack with the same index rows, so no object is parsed
// again and no pack is ever held whole; the last step makes the packs live and writes the refs as
// one push of "create" events, and the fork is ready. A job cut short starts again from a reset, so
// a fork is all or nothing. While forking, the target refuses git (meta `forking_from`).
import type { Principal } from "../access/principal";
import { ZERO_OID } from "../protocol/oid";
import { recordPush } from "../refs/pushes";
import type { Repository } from "../repository";
import { metaDelete, metaGet, metaSet } from "../store/meta";
import type { ObjectLocation } from "../store/objects";
import { noteRefEvents } from "../store/whole-reuse";
import { setUp, type RepoSpec } from "./set-up";

export interface ForkSnapshot {
  refs: [string, string][];
  head: string;
  packs: { id: number; bytes: number; objects: number; checksum: string }[];
}

/** The source's side: what to copy. */
export function forkSnapshot(repo: Repository): ForkSnapshot {
  const packs = repo.packs.all().filter((p) => repo.packs.isReadable(p.id));
  return { refs: [...repo.refs.all()], head: repo.refs.head(), packs: packs.map((p) => ({ id: p.id, bytes: p.bytes, objects: p.objects, checksum: p.checksum ?? "" })) };
}

/** The source of the fork under way, or null once it is ready (or for any other repository). */
export function forkingFrom(repo: Repository): string | null {
  return metaGet(repo.sql, "forking_from") ?? null;
}

/** The target's side, first: the new repository, marked as being forked from `source`. */
export function setUpFork(repo: Repository, name: string, spec: RepoSpec, by: Principal, source: string): boolean {
  if (!setUp(repo, name, spec, by)) return false;
  metaSet(repo.sql, "forking_from", source);
  return true;
}

/** Drops what an earlier attempt of the job copied, so that the copy starts clean. */
export async function resetFork(repo: Repository): Promise<void> {
  for (const id of repo.packs.incomingIds()) await repo.store.dropPack(id);
}

export function beginForkPack(repo: Repository): number {
  return repo.packs.beginIncoming().id;
}

export function writeForkPack(repo: Repository, id: number, bytes: Uint8Array): void {
  repo.packs.append(id, bytes);
}

/** Seals a copied pack and gives it the source's index rows, as they were. */
export function indexForkPack(repo: Repository, id: number, rows: ObjectLocation[]): void {
  repo.store.insertRows(id, rows);
}

export function sealForkPack(repo: Repository, id: number, objects: number, checksum: string): void {
  repo.packs.seal(id, objects, checksum);
}

/** The last step: the copied packs live, the refs written, HEAD as the source's, the fork ready. */
export function finishFork(repo: Repository, snapshot: Pick<ForkSnapshot, "refs" | "head">, by: Principal): void {
  repo.transaction(() => {
    for (const id of repo.packs.incomingIds()) repo.packs.markLive(id);
    const pushId = crypto.randomUUID();
    const events = repo.refs.append(snapshot.refs.map(([ref, oid]) => ({ pushId, ref, oldOid: ZERO_OID, newOid: oid, kind: "create" as const, actor: by.actor, actorId: by.actorId })));
    noteRefEvents(repo.sql, events);
    recordPush(repo.sql, { id: pushId, actor: by.actor, at: Date.now(), packId: null, options: [] });
    metaSet(repo.sql, "HEAD", snapshot.head);
    metaDelete(repo.sql, "forking_from");
  });
}
