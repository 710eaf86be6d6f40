// GET compare/{base}...{head}: how two revisions relate, as `git rev-list --left-right --count
// base...head` counts it (behind: commits only base has; ahead: only head has), the commits head has
// that base lacks (newest first, at most 250, as GitHub lists), their merge base, and the files that
// differ between the merge base and head (what a pull request shows): their status, paths and ids,
// and with patch=1 (as the web UI asks) also each one's patch and line counts. Patches are not in
// the default answer, unlike GitHub's: diffing hundreds of files costs far more than the rest, and
// the commits route has any one commit's.
import { nodeInfo, readNode, type CommitNode } from "../../browse/commit-node";
import { diffTrees, fileChanges } from "../../browse/diff";
import { ApiError } from "../../errors";
import type { CommitGraph } from "../../graph/commit-graph";
import { Pacer, WALK_OBJECTS } from "../../pacing";
import type { ObjectStore } from "../../store/objects";
import { CommitHeap } from "../../walk/commit-heap";
import type { ApiContext } from "../context";
import { badParameter, readQuery } from "../params";
import { commitJson } from "./commit-json";
import { cacheHeaders, json, notModified, refView, revisionOf } from "./view";

const MAX_COMMITS = 250;

const LEFT = 1;
const RIGHT = 2;

/**
 * The symmetric difference of two histories: a walk newest first from both tips marking each commit
 * with the sides that reach it, until every queued commit is reached from both (nothing older can then
 * be on one side only). A commit that gains a side after it was walked (clock skew) is walked again,
 * so that its parents gain it too. The merge base is the first commit walked with both marks.
 */
async function symmetricDifference(store: ObjectStore, graph: CommitGraph, base: string, head: string) {
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

export async function getCompare({ repo, request, url, params }: ApiContext): Promise<Response> {
  const query = readQuery(url, ["at", "patch"]);
  const spec = params.spec!;
  const dots = spec.indexOf("...");
  if (dots <= 0 || dots + 3 >= spec.length) throw badParameter("spec", `expected base...head (like main...feature), got ${JSON.stringify(spec)}`);
  const patch = query.get("patch");
  if (patch !== undefined && !["0", "1", "true", "false"].includes(patch)) throw badParameter("patch", `expected 1 or 0, got ${JSON.stringify(patch)}`);
  const view = refView(repo, query.get("at"));
  const base = await revisionOf(repo, view, spec.slice(0, dots));
  const head = await revisionOf(repo, view, spec.slice(dots + 3));
  const withPatches = patch === "1" || patch === "true";
  const byIds = spec === `${base.commit}...${head.commit}`;
  const headers = cacheHeaders(repo, `${base.commit}...${head.commit}${withPatches ? "+patch" : ""}`, byIds);
  const cached = notModified(request, headers);
  if (cached) return cached;
  const { behind, ahead, mergeBase, nodes } = await symmetricDifference(repo.store, repo.graph, base.commit, head.commit);
  const headNode = nodes.get(head.commit);
  if (!headNode) throw new ApiError(404, `no commit '${spec.slice(dots + 3)}'`);
  const baseTree = mergeBase === null ? null : nodes.get(mergeBase)!.tree;
  const { files, truncated } = await (withPatches ? diffTrees : fileChanges)(repo.store, baseTree, headNode.tree);
  const commits = [];
  for (const oid of ahead.slice(0, MAX_COMMITS)) commits.push(commitJson(oid, await nodeInfo(repo.store, nodes.get(oid)!)));
  return json(
    {
      base: base.commit,
      head: head.commit,
      mergeBase,
      status: ahead.length === 0 && behind.length === 0 ? "identical" : ahead.length === 0 ? "behind" : behind.length === 0 ? "ahead" : "diverged",
      aheadBy: ahead.length,
      behindBy: behind.length,
      commits,
      commitsTruncated: ahead.length > MAX_COMMITS,
      files,
      truncated,
    },
    headers,
  );
}
