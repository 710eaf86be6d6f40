// Everything one repository owns, wired together: SQLite, DOFS, the pack catalogue, the object store
// and the ref log, plus the settings that govern pushes.
import git from "isomorphic-git";
import type { Env } from "../worker/env";
import { parseTag } from "./pack/parse-object";
import { OBJ_TAG } from "./pack/types";
import { RefLog } from "./refs/log";
import { reaches } from "./walk/ancestry";
import { Dofs } from "./store/dofs";
import { GITDIR, gitFs } from "./store/git-fs";
import { ObjectStore } from "./store/objects";
import { PackCatalogue } from "./store/packs";

/** Commits isomorphic-git visits in a fast-forward check before the store's own walk takes over. */
const SMALL_WALK_DEPTH = 200;

export class Repository {
  readonly sql: SqlStorage;
  readonly dofs: Dofs;
  readonly packs: PackCatalogue;
  readonly store: ObjectStore;
  readonly refs: RefLog;
  private readonly peeledCache = new Map<string, string | null>();
  private readonly fs: ReturnType<typeof gitFs>;
  private pushingPack: number | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    readonly env: Env,
  ) {
    this.sql = ctx.storage.sql;
    this.dofs = new Dofs(this.sql);
    this.packs = new PackCatalogue(this.sql, this.dofs, env.ARCHIVE);
    this.store = new ObjectStore(this.sql, this.packs);
    this.refs = new RefLog(this.sql);
    this.fs = gitFs(this.store, () => this.pushingPack);
  }

  /** A repository exists from its first push on, even if every ref is later deleted. */
  exists(): boolean {
    return this.sql.exec("SELECT 1 FROM meta WHERE key = 'created'").toArray().length > 0;
  }

  create(name: string): void {
    if (this.exists()) return;
    this.sql.exec("INSERT INTO meta (key, value) VALUES ('created', ?), ('name', ?)", new Date().toISOString(), name);
  }

  /** "owner/repo", as recorded by the first push. */
  name(): string {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'name'").toArray()[0]?.value ?? "";
  }

  /** Drops packs a crashed push left half-written. */
  recover(): void {
    for (const id of this.packs.incomingIds()) this.packs.drop(id);
  }

  transaction<T>(fn: () => T): T {
    return this.ctx.storage.transactionSync(fn);
  }

  /** What an annotated tag finally points to (undefined for anything but a tag). Tags are immutable, so this is cached. */
  async peel(oid: string): Promise<string | undefined> {
    if (!this.peeledCache.has(oid)) {
      let target: string | null = null;
      const loc = this.store.locate(oid);
      if (loc?.type === OBJ_TAG) {
        let next = oid;
        for (let depth = 0; depth < 10; depth++) {
          const object = await this.store.read(next);
          if (!object || object.type !== OBJ_TAG) break;
          next = parseTag(object.data).object;
        }
        target = next;
      }
      this.peeledCache.set(oid, target);
    }
    return this.peeledCache.get(oid) ?? undefined;
  }

  /**
   * Whether `ancestor` is reachable from commit `oid`. A push usually adds a few commits, and
   * isomorphic-git's walk over the object store serves; it reads each commit as a loose object
   * (deflated for it, inflated by it) and goes breadth first, so an import of thousands of commits
   * at once goes to the store's own newest-first walk instead.
   */
  async isDescendent(oid: string, ancestor: string, ownPack?: number): Promise<boolean> {
    if (oid === ancestor) return true;
    this.pushingPack = ownPack;
    try {
      return await git.isDescendent({ fs: this.fs, gitdir: GITDIR, oid, ancestor, depth: SMALL_WALK_DEPTH, cache: {} });
    } catch (e) {
      if (!(e instanceof git.Errors.MaxDepthError)) throw e;
      return reaches(this.store, oid, ancestor, ownPack);
    } finally {
      this.pushingPack = undefined;
    }
  }
}
