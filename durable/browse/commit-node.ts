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

/** A commit with its whole parsed text, as history and comparisons list it. */
export interface LoggedCommit {
  oid: string;
  info: CommitInfo;
}

/** `nodes` with their whole commits, in order, each parsed once; the store reads those not parsed yet together. */
export async function loggedCommits(store: ObjectStore, nodes: CommitNode[]): Promise<LoggedCommit[]> {
  const unread = nodes.filter((n) => !n.info);
  const objects = await store.readMany(unread.map((n) => n.oid));
  unread.forEach((node, i) => (node.info = parseCommitInfo(objects[i]!.data)));
  return nodes.map((node) => ({ oid: node.oid, info: node.info! }));
}
