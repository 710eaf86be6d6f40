// Connectivity check after a push: every object reachable from the new tips must exist. The walk
// descends only through objects of the pack just received; objects already stored in readable packs
// were checked when they arrived. Gitlinks (submodule commits) are never followed.
import { MODE_GITLINK, parseCommit, parseTag, parseTree } from "../pack/parse-object";
import { OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";
import type { ObjectStore } from "../store/objects";

/** Returns the first missing object id, or null when everything reachable from `tips` exists. */
export async function findMissing(store: ObjectStore, tips: string[], ownPack: number | undefined): Promise<string | null> {
  const seen = new Set<string>();
  const stack = [...tips];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const loc = store.locate(oid, ownPack);
    if (!loc) return oid;
    if (loc.packId !== ownPack) continue;
    if (loc.type !== OBJ_COMMIT && loc.type !== OBJ_TREE && loc.type !== OBJ_TAG) continue;
    const object = await store.read(oid, ownPack);
    if (!object) return oid;
    if (object.type === OBJ_COMMIT) {
      const commit = parseCommit(object.data);
      stack.push(commit.tree, ...commit.parents);
    } else if (object.type === OBJ_TREE) {
      for (const entry of parseTree(object.data)) if (entry.mode !== MODE_GITLINK) stack.push(entry.oid);
    } else {
      stack.push(parseTag(object.data).object);
    }
  }
  return null;
}
