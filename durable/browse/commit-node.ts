// What a history walk needs of a commit (its tree, parents and committer time), from the commit graph
// (graph/commit-graph.ts) when it has a row, else parsed from the stored commit. The whole commit
// (author, message) is parsed only when asked for.
import type { CommitGraph } from "../graph/commit-graph";
import { OBJ_COMMIT } from "../pack/types";
import type { ObjectStore } from "../store/objects";
import { parseCommitInfo, type CommitInfo } from "./commit-info";

export interface CommitNode {
  oid: string;
  tree: string;
  parents: string[];
  /** Committer time, in seconds. */
  time: number;
  /** Its generation in the commit graph (graph/build.ts); undefined without a graph row. */
  generation?: number;
  /** The changed-path filter against the first parent; undefined without a graph row. */
  bloom?: Uint8Array | null;
  info?: CommitInfo;
}

/** The commit `oid`, or null when it is not a stored commit (beyond a shallow boundary). */
export async function readNode(store: ObjectStore, graph: CommitGraph, oid: string): Promise<CommitNode | null> {
  const row = graph.near(oid);
  // A copy: the walk adds the parsed commit to its node, and the row is shared.
  if (row) return { ...row };
  const object = await store.read(oid);
  if (object?.type !== OBJ_COMMIT) return null;
  const info = parseCommitInfo(object.data);
  return { oid, tree: info.tree, parents: info.parents, time: info.committer.time, info };
}

/** The whole commit, parsed once. */
export async function nodeInfo(store: ObjectStore, node: CommitNode): Promise<CommitInfo> {
  node.info ??= parseCommitInfo((await store.read(node.oid))!.data);
  return node.info;
}

/**
 * The whole commits of `nodes`, in order, each parsed once. Those not parsed yet are located
 * together (a query per 100), where one at a time each was a query of its own: a page of history or
 * a comparison's 250 commits.
 */
export async function nodeInfos(store: ObjectStore, nodes: CommitNode[]): Promise<CommitInfo[]> {
  const found = store.locateMany(nodes.filter((n) => !n.info).map((n) => n.oid));
  const infos: CommitInfo[] = [];
  for (const node of nodes) {
    const loc = found.get(node.oid);
    node.info ??= parseCommitInfo((loc ? await store.readAt(loc) : (await store.read(node.oid))!).data);
    infos.push(node.info);
  }
  return infos;
}
