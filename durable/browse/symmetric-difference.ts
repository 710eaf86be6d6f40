// The symmetric difference of two histories, as `git rev-list --left-right base...head` lists it:
// the commits only base reaches (behind), those only head reaches (ahead), and their merge base. The
// compare route and webhook push payloads (the commits a push brought) both ask it.
import type { CommitGraph } from "../graph/commit-graph";
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { ObjectStore } from "../store/objects";
import { CommitHeap } from "../walk/commit-heap";
import { readNode, type CommitNode } from "./commit-node";

const LEFT = 1;
const RIGHT = 2;

/**
 * The symmetric difference of two histories: a walk newest first from both tips marking each commit
 * with the sides that reach it, until every queued commit is reached from both (nothing older can then
 * be on one side only). A commit that gains a side after it was walked (clock skew) is walked again,
 * so that its parents gain it too. The merge base is the first commit walked with both marks.
 */
export async function symmetricDifference(store: ObjectStore, graph: CommitGraph, base: string, head: string) {
  const marks = new Map<string, number>();
  const nodes = new Map<string, CommitNode>();
  const heap = new CommitHeap();
  const queued = new Set<string>();
  /** Queued commits reached from one side only. */
  let oneSided = 0;
  const enqueue = (oid: string) => {
    heap.push(oid, nodes.get(oid)!.time);
    queued.add(oid);
    if (marks.get(oid) !== (LEFT | RIGHT)) oneSided++;
  };
  const mark = async (oid: string, side: number) => {
    const before = marks.get(oid) ?? 0;
    if ((before | side) === before) return;
    if (!nodes.has(oid)) {
      const node = await readNode(store, graph, oid);
      // Beyond a shallow boundary: not stored.
      if (!node) return;
      nodes.set(oid, node);
    }
    marks.set(oid, before | side);
    if (!queued.has(oid)) enqueue(oid);
    else if ((before | side) === (LEFT | RIGHT)) oneSided--;
  };
  await mark(base, LEFT);
  await mark(head, RIGHT);
  const walked: string[] = [];
  let mergeBase: string | null = null;
  const pacer = new Pacer(WALK_OBJECTS);
  while (heap.size > 0 && (oneSided > 0 || mergeBase === null)) {
    await pacer.step();
    const oid = heap.pop()!;
    queued.delete(oid);
    const side = marks.get(oid)!;
    if (side !== (LEFT | RIGHT)) oneSided--;
    else mergeBase ??= oid;
    walked.push(oid);
    for (const parent of nodes.get(oid)!.parents) await mark(parent, side);
  }
  const only = (side: number) => [...new Set(walked)].filter((o) => marks.get(o) === side);
  return { behind: only(LEFT), ahead: only(RIGHT), mergeBase, nodes };
}
