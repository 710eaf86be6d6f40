// `git log [-- <path>]` over the store: commits newest first by committer time (ties in the order
// they were met, as git's date-sorted list keeps them), limited to a path with git's default history
// simplification: a commit is shown when its entry at the path differs from every parent's; a merge
// whose entry equals one parent's follows only the first such parent, so that a side branch which
// never touched the path is not walked (git's try_to_simplify_commit, without --full-history). The
// path's entry is one blob or tree id, so comparing it is comparing everything below it.
// The walk steps through the commit graph (graph/commit-graph.ts) where it has the commits: parents,
// time and tree without inflating a commit, and a commit whose changed-path filter says the path is
// untouched is the same as its first parent there, with no tree read. Commits are parsed whole only
// when they are shown or filtered by author; commits without a row are read from the store.
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { CommitGraph } from "../graph/commit-graph";
import type { ObjectStore } from "../store/objects";
import { mayHaveChanged } from "../graph/bloom";
import { CommitHeap } from "../walk/commit-heap";
import type { CommitInfo } from "./commit-info";
import { loggedCommits, nodeInfo, readNode, type CommitNode, type LoggedCommit } from "./commit-node";
import { entryAt } from "./tree-path";

export interface HistoryQuery {
  /** The commits the walk starts from. */
  tips: string[];
  /** Only commits that change what is at this path ("" for all). */
  path: string;
  /** Only commits whose author ("Name <email>") contains this, ignoring case. */
  author?: string;
  /** Committer time bounds, in seconds; commits before `since` end the walk along their line, as git's --since does. */
  since?: number;
  until?: number;
  /** Commits shown before the page starts, and the page's size. */
  skip: number;
  limit: number;
}

export interface HistoryPage {
  commits: LoggedCommit[];
  /** Whether another commit follows the page. */
  more: boolean;
}

export async function history(store: ObjectStore, graph: CommitGraph, q: HistoryQuery): Promise<HistoryPage> {
  const walk = new HistoryWalk(store, graph, q.path);
  for (const tip of q.tips) await walk.visit(tip);
  const page: CommitNode[] = [];
  const author = q.author?.toLowerCase();
  let skipped = 0;
  const pacer = new Pacer(WALK_OBJECTS);
  for (let node = walk.next(); node !== undefined; node = walk.next()) {
    await pacer.step();
    if (q.since !== undefined && node.time < q.since) continue;
    const { shown, follow } = await walk.simplify(node);
    for (const parent of follow) await walk.visit(parent);
    if (!shown || (q.until !== undefined && node.time > q.until)) continue;
    if (author !== undefined) {
      const info = await walk.info(node);
      if (!`${info.author.name} <${info.author.email}>`.toLowerCase().includes(author)) continue;
    }
    if (skipped < q.skip) {
      skipped++;
      continue;
    }
    if (page.length === q.limit) return { commits: await loggedCommits(store, page), more: true };
    page.push(node);
  }
  return { commits: await loggedCommits(store, page), more: false };
}

class HistoryWalk {
  private readonly heap = new CommitHeap();
  private readonly seen = new Set<string>();
  /** Commits queued; dropped once walked past. */
  private readonly queued = new Map<string, CommitNode>();
  /** The path's entry ("mode oid", or null) per commit, kept while children may still ask. */
  private readonly entries = new Map<string, string | null>();

  constructor(
    private readonly store: ObjectStore,
    private readonly graph: CommitGraph,
    private readonly path: string,
  ) {}

  async visit(oid: string): Promise<void> {
    if (this.seen.has(oid)) return;
    this.seen.add(oid);
    const node = await this.read(oid);
    // A parent beyond a shallow boundary is not stored: the walk ends there.
    if (!node) return;
    this.queued.set(oid, node);
    this.heap.push(oid, node.time);
  }

  next(): CommitNode | undefined {
    const oid = this.heap.pop();
    if (oid === undefined) return undefined;
    const node = this.queued.get(oid)!;
    this.queued.delete(oid);
    return node;
  }

  info(node: CommitNode): Promise<CommitInfo> {
    return nodeInfo(this.store, node);
  }

  /** Whether `node` is shown, and the parents the walk follows from it. */
  async simplify(node: CommitNode): Promise<{ shown: boolean; follow: string[] }> {
    if (this.path === "") return { shown: true, follow: node.parents };
    if (node.parents.length > 0 && node.bloom !== undefined && !mayHaveChanged(node.bloom, this.path)) {
      return { shown: false, follow: [node.parents[0]!] };
    }
    const mine = await this.entry(node.oid, node);
    if (node.parents.length === 0) return { shown: mine !== null, follow: [] };
    for (const parent of node.parents) {
      if ((await this.entry(parent)) === mine) return { shown: false, follow: [parent] };
    }
    return { shown: true, follow: node.parents };
  }

  private async entry(oid: string, known?: CommitNode): Promise<string | null | undefined> {
    if (this.entries.has(oid)) return this.entries.get(oid);
    const node = known ?? this.queued.get(oid) ?? (await this.read(oid));
    // A missing parent (shallow) differs from everything, as in git.
    if (!node) return undefined;
    const entry = await entryAt(this.store, node.tree, this.path);
    const value = entry && `${entry.mode} ${entry.oid}`;
    this.entries.set(oid, value);
    return value;
  }

  private read(oid: string): Promise<CommitNode | null> {
    return readNode(this.store, this.graph, oid);
  }
}
