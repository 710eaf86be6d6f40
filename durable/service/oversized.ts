// The refusal of a push that holds an object over MAX_OBJECT_BYTES, in the words git users know from
// GitHub: which file, how big, and to use Git LFS. The indexer learns each such object's id (streamed,
// never whole); its path is found by walking the trees of the push's own commits (those in its pack,
// each checked while indexing, so each parses), so the refusal costs nothing for a push without one.
import { humanBytes } from "../errors";
import type { Oversized } from "../pack/indexer";
import { parseCommit, parseNamedTree } from "../pack/parse-object";
import { OBJ_COMMIT, OBJ_TREE } from "../pack/types";
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { ObjectStore } from "../store/objects";

/** Trees looked into for the paths at most: beyond, an object is named by its id. */
const MAX_TREES = 100_000;

/** The lines git shows for the oversized objects of a push whose commits are `tips`, stored in pack `packId`. */
export async function oversizedLines(store: ObjectStore, packId: number, tips: string[], oversized: Oversized[], limit: number): Promise<string[]> {
  const paths = await pathsOf(store, packId, tips, new Set(oversized.map((o) => o.oid)));
  return oversized.map((o) => {
    const path = paths.get(o.oid);
    const what = path !== undefined ? `File ${path}` : `Object ${o.oid}`;
    // git lfs migrate rewrites the commits not yet pushed so that the file is a pointer in each.
    const how = path !== undefined ? `: git lfs migrate import --include=${shellQuote(path)} and push again` : "";
    return `error: ${what} is ${humanBytes(o.size)}; this exceeds the limit of ${humanBytes(limit)}. Use Git LFS for large files${how}.`;
  });
}

/** Where the objects in `wanted` are, as paths in the trees of the pack's commits reachable from `tips`. */
async function pathsOf(store: ObjectStore, packId: number, tips: string[], wanted: Set<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const commits = [...tips];
  const trees: { oid: string; path: string }[] = [];
  const pacer = new Pacer(WALK_OBJECTS);
  const inPack = (oid: string) => store.locate(oid, packId)?.packId === packId;
  while ((commits.length > 0 || trees.length > 0) && found.size < wanted.size && seen.size < MAX_TREES) {
    await pacer.step();
    const tree = trees.pop();
    if (tree) {
      const object = await store.read(tree.oid, packId);
      if (object?.type !== OBJ_TREE) continue;
      for (const entry of parseNamedTree(object.data)) {
        const path = tree.path ? `${tree.path}/${entry.name}` : entry.name;
        if (wanted.has(entry.oid) && !found.has(entry.oid)) found.set(entry.oid, path);
        if (entry.mode === "40000" && !seen.has(entry.oid) && inPack(entry.oid)) {
          seen.add(entry.oid);
          trees.push({ oid: entry.oid, path });
        }
      }
      continue;
    }
    const oid = commits.pop()!;
    if (seen.has(oid) || !inPack(oid)) continue;
    seen.add(oid);
    const object = await store.read(oid, packId);
    if (object?.type !== OBJ_COMMIT) continue;
    const links = parseCommit(object.data);
    commits.push(...links.parents);
    trees.push({ oid: links.tree, path: "" });
  }
  return found;
}

/** `path` as one shell word: as it is when it is plain, else in single quotes. */
function shellQuote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
