// `git log [-- <path>]` over the store: commits newest first by committer time (ties in the order
// they were met, as git's date-sorted list keeps them), limited to a path with git's default history
// simplification: a commit is shown when its entry at the path differs from every parent's; a merge
// whose entry equals one parent's follows only the first such parent, so that a side branch which
// never touched the path is not walked (git's try_to_simplify_commit, without --full-history). The
// path's entry is one blob or tree id, so comparing it is comparing everything below it.
import { OBJ_COMMIT } from "../pack/types";
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { ObjectStore } from "../store/objects";
import { CommitHeap } from "../walk/commit-heap";
import { parseCommitInfo, type CommitInfo } from "./commit-info";
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

export interface LoggedCommit {
  oid: string;
  info: CommitInfo;
}

export interface HistoryPage {
  commits: LoggedCommit[];
  /** Whether another commit follows the page. */
  more: boolean;
}

export async function history(store: ObjectStore, q: HistoryQuery): Promise<HistoryPage> {
  const walk = new HistoryWalk(store, q.path);
  for (const tip of q.tips) await walk.visit(tip);
  const commits: LoggedCommit[] = [];
  const author = q.author?.toLowerCase();
  let skipped = 0;
  const pacer = new Pacer(WALK_OBJECTS);
  for (let oid = walk.next(); oid !== undefined; oid = walk.next()) {
    await pacer.step();
    const info = walk.info(oid)!;
    if (q.since !== undefined && info.committer.time < q.since) continue;
    const { shown, follow } = await walk.simplify(oid, info);
    for (const parent of follow) await walk.visit(parent);
    if (!shown || (q.until !== undefined && info.committer.time > q.until)) continue;
    if (author !== undefined && !`${info.author.name} <${info.author.email}>`.toLowerCase().includes(author)) continue;
    if (skipped < q.skip) {
      skipped++;
      continue;
    }
    if (commits.length === q.limit) return { commits, more: true };
    commits.push({ oid, info });
  }
  return { commits, more: false };
}

class HistoryWalk {
  private readonly heap = new CommitHeap();
  private readonly seen = new Set<string>();
  /** Parsed commits queued or just popped; dropped once walked past. */
  private readonly infos = new Map<string, CommitInfo>();
  /** The path's entry ("mode oid", or null) per commit, kept while children may still ask. */
  private readonly entries = new Map<string, string | null>();
  private last: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly path: string,
  ) {}

  async visit(oid: string): Promise<void> {
    if (this.seen.has(oid)) return;
    this.seen.add(oid);
    const info = await this.read(oid);
    // A parent beyond a shallow boundary is not stored: the walk ends there.
    if (!info) return;
    this.infos.set(oid, info);
    this.heap.push(oid, info.committer.time);
  }

  next(): string | undefined {
    if (this.last !== undefined) this.infos.delete(this.last);
    this.last = this.heap.pop();
    return this.last;
  }

  info(oid: string): CommitInfo | undefined {
    return this.infos.get(oid);
  }

  /** Whether `oid` is shown, and the parents the walk follows from it. */
  async simplify(oid: string, info: CommitInfo): Promise<{ shown: boolean; follow: string[] }> {
    if (this.path === "") return { shown: true, follow: info.parents };
    const mine = await this.entry(oid, info);
    if (info.parents.length === 0) return { shown: mine !== null, follow: [] };
    for (const parent of info.parents) {
      if ((await this.entry(parent)) === mine) return { shown: false, follow: [parent] };
    }
    return { shown: true, follow: info.parents };
  }

  private async entry(oid: string, known?: CommitInfo): Promise<string | null | undefined> {
    if (this.entries.has(oid)) return this.entries.get(oid);
    const info = known ?? this.infos.get(oid) ?? (await this.read(oid));
    // A missing parent (shallow) differs from everything, as in git.
    if (!info) return undefined;
    const entry = await entryAt(this.store, info.tree, this.path);
    const value = entry && `${entry.mode} ${entry.oid}`;
    this.entries.set(oid, value);
    return value;
  }

  private async read(oid: string): Promise<CommitInfo | null> {
    const object = await this.store.read(oid);
    return object?.type === OBJ_COMMIT ? parseCommitInfo(object.data) : null;
  }
}
