// What sits at a path of a commit's tree: one tree read per path segment, each searched for its name
// by the store's own tree parser (parse-object.ts).
import { findTreeEntry, parseCommit } from "../pack/parse-object";
import { OBJ_COMMIT, OBJ_TREE } from "../pack/types";
import type { ObjectStore } from "../store/objects";

export interface PathEntry {
  mode: string;
  oid: string;
}

/** The root tree of commit `commit`, or null when it is not a stored commit. */
export async function rootTree(store: ObjectStore, commit: string, ownPack?: number): Promise<string | null> {
  const object = await store.read(commit, ownPack);
  return object?.type === OBJ_COMMIT ? parseCommit(object.data).tree : null;
}

/** The entry at `path` ("a/b/c") under tree `tree`, or null where there is nothing; "" is the tree itself. */
export async function entryAt(store: ObjectStore, tree: string | null, path: string, ownPack?: number): Promise<PathEntry | null> {
  if (tree === null) return null;
  if (path === "") return { mode: "40000", oid: tree };
  let at = tree;
  const names = path.split("/");
  for (let i = 0; ; i++) {
    const object = await store.read(at, ownPack);
    if (object?.type !== OBJ_TREE) return null;
    const entry = findTreeEntry(object.data, names[i]!);
    if (!entry) return null;
    if (i === names.length - 1) return { mode: entry.mode, oid: entry.oid };
    if (entry.mode !== "40000") return null;
    at = entry.oid;
  }
}
