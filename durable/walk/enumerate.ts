// Which objects a fetch sends: everything reachable from the wants minus what is reachable from the
// common haves (gitprotocol-pack.adoc, "Packfile Data"). Commits are walked newest first, marking
// the haves' ancestry uninteresting; trees of the uninteresting edge are excluded from the tree walk.
// With the commit graph (graph/commit-graph.ts) commits come from its rows and are walked by
// generation, which is exact (a commit is only reached after every commit that descends from it) and
// ends as soon as no queued commit can still be reached from a have. By date, a have newer than the
// wants is walked down to their dates, and a skewed date can send commits the client has. A commit
// without a row (pushed since the graph's last run) is parsed from the store and numbered as the
// graph would number it, from its parents. The pack walks parse objects themselves rather than
// through isomorphic-git (see parse-object.ts).
import { StorageError } from "../errors";
import type { CommitGraph } from "../graph/commit-graph";
import { hexAt } from "../pack/hex";
import { forEachLink, parseCommit, type CommitLinks } from "../pack/parse-object";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";
import type { ObjectLocation, ObjectStore } from "../store/objects";
import { Pacer, WALK_OBJECTS } from "../pacing";
import { CommitHeap } from "./commit-heap";
import type { FilterPlan } from "./filter-plan";
import { SendSet } from "./send-set";
import { boundaryByDepth, boundaryByRevList, type Boundary } from "./shallow";

/** A shallow request: how deep to go, and the client's current shallow commits. */
export interface Deepen {
  depth?: number;
  /** `depth` counts from the client's shallow commits rather than from the wants (deepen-relative). */
  relative?: boolean;
  /** For `relative`: the ref tips from which a client's shallow commit must be reachable to count. */
  tips?: string[];
  /** Seconds since the epoch. */
  since?: number;
  /** Objects whose history is not sent (deepen-not, resolved to ids). */
  not?: string[];
  clientShallow: string[];
}

/** `deepen 2147483647`, what git fetch --unshallow asks: all of history. */
const INFINITE_DEPTH = 0x7fffffff;

export interface ShallowUpdate {
  shallow: string[];
  unshallow: string[];
}

/**
 * Objects read ahead after a commit the walk locates, and how many such commits it keeps at most (some
 * 5 MB): on git's history a walk of every commit locates 1,079 of its 85,000 commits at 32,768, 1,465 at
 * 4,096, and each costs a read of 256 index rows.
 */
const READ_AHEAD = 256;
const MAX_AHEAD = 32768;
/** Trees located at a time by the tree walk. */
const TREE_BATCH = 32768;

/** A commit's links, and where the walk's heap puts it: its generation with the graph (NaN until numbered), else its time. */
interface WalkLinks extends CommitLinks {
  order: number;
}

interface CommitState {
  links: WalkLinks;
  uninteresting: boolean;
  queued: boolean;
}

export class ObjectWalk {
  /** Objects to send, and those excluded from sending. */
  readonly sending = new SendSet();
  private readonly commits = new Map<string, CommitState>();
  private readonly linkCache = new Map<string, WalkLinks>();
  private readonly commitsAhead = new Map<string, ObjectLocation>();
  private readonly heap = new CommitHeap();
  private interesting = 0;

  /**
   * `filter`: a partial clone's object filter; without one every object reached is sent. `graph`: the
   * commit graph, once it has been built (without rows, each commit would cost a query that finds nothing).
   */
  constructor(
    private readonly store: ObjectStore,
    readonly filter: FilterPlan | null = null,
    private readonly graph: CommitGraph | null = null,
  ) {}

  /** Whether selectCommits has run. */
  selected = false;
  private included: string[] = [];
  private edges = new Set<string>();
  private roots: string[] = [];
  /** The commits the wants name, which a filter never leaves out. */
  private readonly wanted = new Set<string>();

  /** First phase: which commits to send, and for a shallow request the new shallow boundary. */
  async selectCommits(wants: string[], haves: string[], deepen?: Deepen): Promise<ShallowUpdate> {
    this.selected = true;
    const haveCommits: string[] = [];
    for (const have of haves) {
      const commit = await this.peelToCommit(have);
      if (commit) haveCommits.push(commit);
    }
    const wantCommits: string[] = [];
    for (const want of wants) await this.addWant(want, this.roots, wantCommits);
    for (const c of wantCommits) this.wanted.add(c);
    // Only the boundary (uninteresting parents of sent commits) has its trees excluded, as git's
    // mark_edges_uninteresting does: walking the trees of every have would read whole snapshots.
    if (deepen) return this.selectShallow(wantCommits, haveCommits, deepen);
    await this.selectSent(wantCommits, haveCommits);
    return { shallow: [], unshallow: [] };
  }

  /** Second phase: the commits, then tags and trees and blobs the included commits reach. */
  async collectObjects(): Promise<void> {
    const filter = this.filter;
    const givenTrees: string[] = [];
    const others: string[] = [];
    for (const root of this.roots) {
      const type = this.store.locate(root)?.type;
      if (type === OBJ_TREE) givenTrees.push(root);
      else if (type === OBJ_TAG || type === OBJ_BLOB) others.push(root);
    }
    // Every included commit is a step: git's whole history is 85,000 of them, half a second in one stretch.
    const pacer = new Pacer(WALK_OBJECTS);
    const walksTrees = !filter || filter.keeps(OBJ_TREE) || filter.descends(0);
    const trees: string[] = [];
    const edgeTrees: string[] = [];
    if (walksTrees) {
      for (const edge of this.edges) edgeTrees.push((await this.links(edge)).tree);
      for (const oid of this.included) {
        trees.push((await this.links(oid)).tree);
        await pacer.step();
      }
    }
    const keepsCommits = !filter || filter.keeps(OBJ_COMMIT);
    for (const oid of this.included) {
      if (keepsCommits || this.wanted.has(oid)) this.sending.add(oid);
      await pacer.step();
    }
    // Only the sending set lives on while the pack is written: the commits' links (some 25 MB over
    // git's whole history) and their ids (5 MB of strings) are dropped here.
    this.commits.clear();
    this.linkCache.clear();
    this.included = [];
    this.edges.clear();
    await this.walkTrees(edgeTrees, false, pacer);
    for (const oid of others) this.sending.add(oid);
    await this.walkTrees(givenTrees, true, pacer, true);
    await this.walkTrees(trees, true, pacer);
  }

  /** Highest generation (or newest) first, marking the haves' ancestry uninteresting, until only uninteresting commits are queued. */
  private async selectSent(wantCommits: string[], haveCommits: string[]): Promise<void> {
    for (const c of haveCommits) await this.enqueue(c, true);
    for (const c of wantCommits) await this.enqueue(c, false);
    const pacer = new Pacer(WALK_OBJECTS);
    while (this.interesting > 0) {
      const oid = this.heap.pop()!;
      const state = this.commits.get(oid)!;
      state.queued = false;
      if (!state.uninteresting) this.interesting--;
      // A parent not stored is the boundary of a shallow history.
      for (const parent of state.links.parents) await this.enqueue(parent, state.uninteresting);
      if (!state.uninteresting) this.included.push(oid);
      await pacer.step();
    }
    // The edge, once every mark is made: a parent found to be the client's only after its child was
    // taken is one too.
    for (const oid of this.included) {
      for (const parent of this.commits.get(oid)!.links.parents) if (this.commits.get(parent)?.uninteresting) this.edges.add(parent);
    }
  }

  /**
   * The new shallow boundary (walk/shallow.ts), then the commits to send: those the wants reach, and the
   * parents of unshallowed commits, up to the boundary and the client's own shallow commits. Commits the
   * client has (the haves' ancestry as its shallow commits cut it) are walked through but not sent.
   */
  private async selectShallow(wantCommits: string[], haveCommits: string[], deepen: Deepen): Promise<ShallowUpdate> {
    const clientShallow = new Set(deepen.clientShallow);
    const linksOf = (oid: string) => this.linksIfStored(oid);
    let boundary: Boundary;
    if (deepen.depth === INFINITE_DEPTH) boundary = { shallow: new Set(), inside: clientShallow };
    else if (deepen.depth !== undefined && deepen.relative) {
      const tips: string[] = [];
      for (const tip of deepen.tips ?? wantCommits) {
        const commit = await this.peelToCommit(tip);
        if (commit) tips.push(commit);
      }
      boundary = await boundaryByDepth(await this.shallowsReached(tips, clientShallow), deepen.depth + 1, linksOf);
    } else if (deepen.depth !== undefined) boundary = await boundaryByDepth(wantCommits, deepen.depth, linksOf);
    else {
      const nots: string[] = [];
      for (const oid of deepen.not ?? []) {
        const commit = await this.peelToCommit(oid);
        if (commit) nots.push(commit);
      }
      boundary = await boundaryByRevList(wantCommits, nots, deepen.since, linksOf);
    }
    const update: ShallowUpdate = {
      shallow: [...boundary.shallow].filter((c) => !clientShallow.has(c)),
      unshallow: deepen.clientShallow.filter((c) => boundary.inside.has(c)),
    };
    const has = new Set<string>();
    for (const stack = [...haveCommits]; stack.length > 0; ) {
      const c = stack.pop()!;
      if (has.has(c) || !this.store.has(c)) continue;
      has.add(c);
      if (!clientShallow.has(c)) stack.push(...(await this.links(c)).parents);
    }
    const cut = new Set([...boundary.shallow, ...clientShallow]);
    const stack = [...wantCommits];
    for (const c of update.unshallow) stack.push(...(await this.links(c)).parents);
    const visited = new Set<string>();
    const pacer = new Pacer(WALK_OBJECTS);
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (visited.has(c) || !this.store.has(c)) continue;
      visited.add(c);
      await pacer.step();
      if (has.has(c)) {
        this.edges.add(c);
        continue;
      }
      this.included.push(c);
      if (!cut.has(c)) stack.push(...(await this.links(c)).parents);
    }
    return update;
  }

  /** The client's shallow commits the ref tips reach, where deepen-relative counts from. */
  private async shallowsReached(tips: string[], clientShallow: Set<string>): Promise<string[]> {
    const reached: string[] = [];
    const visited = new Set<string>();
    for (const stack = [...tips]; stack.length > 0; ) {
      const c = stack.pop()!;
      if (visited.has(c) || !this.store.has(c)) continue;
      visited.add(c);
      if (clientShallow.has(c)) reached.push(c);
      else stack.push(...(await this.links(c)).parents);
    }
    return reached;
  }

  /** Adds an annotated tag (and the tags it points through) when its target is being sent. */
  async includeTag(tag: string): Promise<void> {
    const { tags, target } = await this.store.peelTags(tag);
    if (tags.length > 0 && this.sending.has(target)) for (const t of tags) this.sending.add(t);
  }

  private async peelToCommit(oid: string): Promise<string | null> {
    const { target, type } = await this.store.peelTags(oid);
    return type === OBJ_COMMIT ? target : null;
  }

  /** Commits go into the commit walk; tags are sent and peeled; trees and blobs are sent as roots. */
  private async addWant(oid: string, roots: string[], commits: string[]): Promise<void> {
    const { tags, target, type } = await this.store.peelTags(oid);
    if (type === null) throw new StorageError(`want ${oid} reaches ${target}, which is not in the repository`);
    roots.push(...tags);
    (type === OBJ_COMMIT ? commits : roots).push(target);
  }

  /** Queues a commit; false when it is not stored. */
  private async enqueue(oid: string, uninteresting: boolean): Promise<boolean> {
    const known = this.commits.get(oid);
    if (known) {
      if (uninteresting && !known.uninteresting) {
        known.uninteresting = true;
        if (known.queued) this.interesting--;
      }
      return true;
    }
    const links = await this.linksIfStored(oid);
    if (!links) return false;
    this.commits.set(oid, { links, uninteresting, queued: true });
    this.heap.push(oid, links.order);
    if (!uninteresting) this.interesting++;
    return true;
  }

  private async links(oid: string): Promise<WalkLinks> {
    const links = await this.linksIfStored(oid);
    if (!links) throw new StorageError(`commit ${oid} is missing`);
    return links;
  }

  private async linksIfStored(oid: string): Promise<WalkLinks | null> {
    const links = await this.readLinks(oid);
    if (links && Number.isNaN(links.order)) await this.number(oid);
    return links;
  }

  private async readLinks(oid: string): Promise<WalkLinks | null> {
    const known = this.linkCache.get(oid);
    if (known) return known;
    const row = this.graph?.get(oid);
    let links: WalkLinks;
    if (row) links = { tree: row.tree, parents: row.parents, time: row.time, order: row.generation };
    else {
      const loc = this.locateCommit(oid);
      if (!loc) return null;
      if (loc.type !== OBJ_COMMIT) throw new StorageError(`${oid} is not a commit`);
      const parsed = parseCommit((await this.store.readAt(loc)).data);
      links = { ...parsed, order: this.graph ? NaN : parsed.time };
    }
    this.linkCache.set(oid, links);
    return links;
  }

  /**
   * Gives a commit without a graph row its generation, as graph/build.ts would (one more than the
   * highest parent's; a parent not stored counts 0), numbering its parents without rows first. Only
   * commits pushed since the graph's last run lack one, and the graph never lists one as a parent.
   */
  private async number(oid: string): Promise<void> {
    for (const stack = [oid]; stack.length > 0; ) {
      const links = this.linkCache.get(stack[stack.length - 1]!)!;
      let highest = 0;
      let ready = true;
      for (const parent of links.parents) {
        const of = await this.readLinks(parent);
        if (!of) continue;
        if (Number.isNaN(of.order)) {
          stack.push(parent);
          ready = false;
        } else highest = Math.max(highest, of.order);
      }
      if (ready) {
        links.order = highest + 1;
        stack.pop();
      }
    }
  }

  /**
   * Locates a commit, and notes the commits stored just after it: a pack lists commits newest first, so
   * a walk mostly finds a commit's parents there, one range read for many lookups (each lookup is a
   * random probe of the object index, and a full walk of git's history makes 85,000 of them).
   */
  private locateCommit(oid: string): ObjectLocation | null {
    const ahead = this.commitsAhead.get(oid);
    if (ahead) {
      this.commitsAhead.delete(oid);
      return ahead;
    }
    const loc = this.store.locate(oid);
    if (!loc) return null;
    if (this.commitsAhead.size > MAX_AHEAD) this.commitsAhead.clear();
    for (const next of this.store.following(loc, READ_AHEAD)) if (next.type === OBJ_COMMIT) this.commitsAhead.set(next.oid, next);
    return loc;
  }

  /**
   * Sends (with `send` false: excludes) the trees not seen yet and everything they hold, level by
   * level: each level's trees are located TREE_BATCH at a time and read in stored order, where
   * neighbours share block reads and a delta's base was most often just read. A tree walk depth first
   * located and read one tree at a time, scattered through the pack. A filter leaves out what it omits
   * and stops at the level below which it sends nothing; `given` trees (named by a want) are sent
   * whatever it says, and their entries judged as a root tree's own, as git does.
   */
  private async walkTrees(roots: string[], send: boolean, pacer: Pacer, given = false): Promise<void> {
    const sending = this.sending;
    const filter = send ? this.filter : null;
    let depth = given ? -1 : 0;
    let level: string[] = [];
    for (const oid of roots) {
      await pacer.step();
      if (sending.seen(oid)) continue;
      if (!send) sending.exclude(oid);
      else if (given || !filter || filter.keeps(OBJ_TREE, depth)) sending.add(oid);
      else sending.filter(oid);
      if (!filter || filter.descends(depth)) level.push(oid);
    }
    while (level.length > 0) {
      depth++;
      const next: string[] = [];
      const sized: string[] = [];
      const keepsTree = !filter || filter.keeps(OBJ_TREE, depth);
      const keepsBlob = !filter || filter.keeps(OBJ_BLOB, depth);
      const sizes = keepsBlob && filter?.needsBlobSizes;
      const descends = !filter || filter.descends(depth);
      const onLink = (bytes: Uint8Array, at: number, isTree: boolean) => {
        // A blob the filter leaves out whatever its size is passed by unmarked: blob:none meets every
        // blob of every tree (some ten million on git's history), and each lookup in the set costs.
        if (!isTree && !keepsBlob) return;
        if (sending.seenAt(bytes, at)) return;
        if (!send) sending.excludeAt(bytes, at);
        else if (!(isTree ? keepsTree : keepsBlob)) sending.filterAt(bytes, at);
        else if (!isTree && sizes) {
          sending.filterAt(bytes, at);
          sized.push(hexAt(bytes, at));
        } else sending.addAt(bytes, at);
        if (isTree && descends) next.push(hexAt(bytes, at));
      };
      for (let i = 0; i < level.length; i += TREE_BATCH) {
        for (const loc of await this.store.locateInStoredOrder(level.slice(i, i + TREE_BATCH))) {
          if (loc.type !== OBJ_TREE) throw new StorageError(`${loc.oid} is not a tree`);
          forEachLink("tree", (await this.store.readAt(loc)).data, onLink);
          await pacer.step();
        }
      }
      // blob:limit: a blob's size is in the object index, read in stored order as the trees were.
      for (let i = 0; i < sized.length; i += TREE_BATCH) {
        for (const loc of await this.store.locateInStoredOrder(sized.slice(i, i + TREE_BATCH))) {
          if (filter!.keeps(OBJ_BLOB, depth, loc.size)) sending.add(loc.oid);
          await pacer.step();
        }
      }
      level = next;
    }
  }
}
