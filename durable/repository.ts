// Everything one repository owns, wired together: SQLite, DOFS, the pack catalogue, the object store
// the ref log and the commit graph, plus the settings that govern pushes.
import git from "isomorphic-git";
import type { Settings } from "../worker/settings";
import { currentSettings } from "./access/repo-settings";
import { CommitGraph } from "./graph/commit-graph";
import { PeeledTags } from "./store/peeled-tags";
import { RefLog } from "./refs/log";
import { reaches } from "./walk/ancestry";
import { Dofs } from "./store/dofs";
import { GITDIR, gitFs } from "./store/git-fs";
import { ObjectStore } from "./store/objects";
import { metaGet, metaSet } from "./store/meta";
import { PackCatalogue } from "./store/packs";
import { Counters } from "./observe/counters";

/** Commits isomorphic-git visits in a fast-forward check before the store's own walk takes over. */
const SMALL_WALK_DEPTH = 200;

export class Repository {
  /** SQLite rows and R2 operations of this Durable Object, which every operation's record reads. */
  readonly counters = new Counters();
  readonly sql: SqlStorage;
  readonly dofs: Dofs;
  readonly packs: PackCatalogue;
  readonly store: ObjectStore;
  readonly refs: RefLog;
  readonly graph: CommitGraph;
  private readonly peeledTags: PeeledTags;

  constructor(
    private readonly ctx: DurableObjectState,
    readonly settings: Settings,
    archive?: R2Bucket,
  ) {
    this.sql = this.counters.countSql(ctx.storage.sql);
    this.dofs = new Dofs(this.sql);
    this.packs = new PackCatalogue(this.sql, this.dofs, archive && this.counters.countR2(archive));
    this.store = new ObjectStore(this.sql, this.packs);
    this.refs = new RefLog(this.sql);
    this.graph = new CommitGraph(this.sql);
    this.peeledTags = new PeeledTags(this.sql, this.store);
  }

  /** Drops what the object store, the archived packs' blocks and the commit graph keep in memory. */
  releaseCaches(): void {
    this.store.forget();
    this.packs.forgetBlocks();
    this.graph.forget();
  }

  /** A repository exists from its creation (by API or first push) on, even if every ref is later deleted, unless it is itself deleted. */
  exists(): boolean {
    return this.created() && !currentSettings(this.sql).deleted;
  }

  /** Whether it was ever created (a deleted repository was). */
  created(): boolean {
    return metaGet(this.sql, "created") !== undefined;
  }

  create(name: string): void {
    if (this.created()) return;
    metaSet(this.sql, "created", new Date().toISOString());
    metaSet(this.sql, "name", name);
  }

  /** "owner/repo", as recorded by the first push. */
  name(): string {
    return metaGet(this.sql, "name") ?? "";
  }

  /**
   * Drops packs a crashed push left half-written, and the chunks a crash left discarded. Which packs is
   * settled at once, before any request can begin a new one; the deleting gives way as it goes.
   */
  recover(): Promise<void> {
    const leftovers = this.packs.incomingIds();
    return (async () => {
      for (const id of leftovers) await this.store.dropPack(id);
      await this.packs.freeChunks();
    })();
  }

  /** When the housekeeping alarm is set for, or null. */
  alarmAt(): Promise<number | null> {
    return this.ctx.storage.getAlarm();
  }

  transaction<T>(fn: () => T): T {
    return this.ctx.storage.transactionSync(fn);
  }

  /** What an annotated tag finally points to (undefined for anything but a tag), kept once found (store/peeled-tags.ts). */
  peel(oid: string): Promise<string | undefined> {
    return this.peeledTags.peel(oid);
  }

  /**
   * Whether `ancestor` is reachable from commit `oid`. A push usually adds a few commits, and
   * isomorphic-git's walk over the object store serves; it reads each commit as a loose object
   * (deflated for it, inflated by it) and goes breadth first, so an import of thousands of commits
   * at once goes to the store's own newest-first walk instead.
   */
  async isDescendent(oid: string, ancestor: string, ownPack?: number): Promise<boolean> {
    if (oid === ancestor) return true;
    // A file system of its own per call: pushes interleave, and each sees its own incoming pack only.
    const fs = gitFs(this.store, () => ownPack);
    try {
      return await git.isDescendent({ fs, gitdir: GITDIR, oid, ancestor, depth: SMALL_WALK_DEPTH, cache: {} });
    } catch (e) {
      if (!(e instanceof git.Errors.MaxDepthError)) throw e;
      return reaches(this.store, oid, ancestor, ownPack);
    }
  }
}
