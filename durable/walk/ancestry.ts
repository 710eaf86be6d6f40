// Whether one commit descends from another, walked newest first over the store's own commit parsing.
// Exact (no date cut-off): a fast-forward is found once the walk has passed the commits newer than the
// old tip; a non-fast-forward walks all of the new tip's history, about 2 s for git's own.
import { parseCommit } from "../pack/parse-object";
import { OBJ_COMMIT } from "../pack/types";
import type { ObjectStore } from "../store/objects";
import { Pacer, WALK_OBJECTS } from "../pacing";
import { CommitHeap } from "./commit-heap";

export async function reaches(store: ObjectStore, oid: string, ancestor: string, ownPack?: number): Promise<boolean> {
  const heap = new CommitHeap();
  const seen = new Set<string>();
  // Parents of the queued commits, noted when each is read, so no commit is read or parsed twice.
  const parents = new Map<string, string[]>();
  const visit = async (commit: string) => {
    if (seen.has(commit)) return;
    seen.add(commit);
    const object = await store.read(commit, ownPack);
    // A parent beyond a shallow boundary is not stored, and cannot lead to the ancestor.
    if (object?.type !== OBJ_COMMIT) return;
    const parsed = parseCommit(object.data);
    parents.set(commit, parsed.parents);
    heap.push(commit, parsed.time);
  };
  await visit(oid);
  const pacer = new Pacer(WALK_OBJECTS);
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    await pacer.step();
    if (next === ancestor) return true;
    const of = parents.get(next)!;
    parents.delete(next);
    for (const parent of of) await visit(parent);
  }
  return false;
}
