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
 * A commit's place in the walk: highest generation first, which is exact (a commit comes after every
 * commit that descends from it). Commits without a graph row come before all others, newest first:
 * they were pushed since the graph's last run, so no commit with a row descends from one.
 */
const order = (node: CommitNode) => node.generation ?? UNNUMBERED + node.time;
const UNNUMBERED = 2 ** 40;

/**
 * The symmetric difference of two histories: a walk from both tips marking each commit with the
 * sides that reach it, until every queued commit is reached from both (nothing older can then be on
 * one side only). In generation order a commit's marks are final when it is walked, where in time
 * order a commit older than its parent (clock skew) gained a side after it was walked, and walking
 * it again doubled a comparison across git's history (20,370 steps for 10,355 commits). A commit
 * without a row that gains a side after it was walked is still walked again, so that its parents
 * gain it too. The merge base is the first commit walked with both marks. Each side's commits are
 * listed in rev-list's order: newest first, as a walk by committer time from its tip meets them.
 */
export async function symmetricDifference(store: ObjectStore, graph: CommitGraph, base: string, head: string) {
  const marks = new Map<string, number>();
  const nodes = new Map<string, CommitNode>();
  const heap = new CommitHeap();
  const queued = new Set<string>();
  /** Queued commits reached from one side only. */
  let oneSided = 0;
  const enqueue = (oid: string) => {
    heap.push(oid, order(nodes.get(oid)!));
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
  let mergeBase: string | null = null;
  const pacer = new Pacer(WALK_OBJECTS);
  while (heap.size > 0 && (oneSided > 0 || mergeBase === null)) {
    await pacer.step();
    const oid = heap.pop()!;
    queued.delete(oid);
    const side = marks.get(oid)!;
    if (side !== (LEFT | RIGHT)) oneSided--;
    else mergeBase ??= oid;
    for (const parent of nodes.get(oid)!.parents) await mark(parent, side);
  }
  const only = (tip: string, side: number) => newestFirst(nodes, tip, (oid) => marks.get(oid) === side);
  return { behind: only(base, LEFT), ahead: only(head, RIGHT), mergeBase, nodes };
}

/**
 * The commits `keep` accepts that `tip` reaches through them, newest first by committer time, as
 * rev-list lists them (ties in the order they were met). Every commit one side reaches alone is
 * reached from its tip through such commits only.
 */
function newestFirst(nodes: Map<string, CommitNode>, tip: string, keep: (oid: string) => boolean): string[] {
  const listed: string[] = [];
  if (!keep(tip)) return listed;
  const heap = new CommitHeap();
  const seen = new Set([tip]);
  heap.push(tip, nodes.get(tip)!.time);
  for (let oid = heap.pop(); oid !== undefined; oid = heap.pop()) {
    listed.push(oid);
    for (const parent of nodes.get(oid)!.parents) {
      if (seen.has(parent) || !keep(parent)) continue;
      seen.add(parent);
      heap.push(parent, nodes.get(parent)!.time);
    }
  }
  return listed;
}
