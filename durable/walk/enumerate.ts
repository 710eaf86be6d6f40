// Which objects a fetch sends: everything reachable from the wants minus what is reachable from the
// common haves (gitprotocol-pack.adoc, "Packfile Data"). Commits are walked newest first, marking
// the haves' ancestry uninteresting; trees of the uninteresting edge are excluded from the tree walk.
// The pack walks parse objects themselves rather than through isomorphic-git (see parse-object.ts).
import { MODE_GITLINK, isTreeMode, parseCommit, parseTag, parseTree, type CommitLinks } from "../pack/parse-object";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";
import type { ObjectStore } from "../store/objects";
import { CommitHeap } from "./commit-heap";

interface CommitState {
  links: CommitLinks;
  uninteresting: boolean;
  queued: boolean;
}

export class ObjectWalk {
  /** Objects to send, in pack order: commits, then tags, trees and blobs. */
  readonly order: string[] = [];
  readonly sending = new Set<string>();
  private readonly excluded = new Set<string>();
  private readonly commits = new Map<string, CommitState>();
  private readonly heap = new CommitHeap();
  private interesting = 0;

  constructor(private readonly store: ObjectStore) {}

  /** Runs the walk. Missing haves are ignored; a missing want throws. */
  async run(wants: string[], haves: string[]): Promise<void> {
    const roots: string[] = [];
    const edges = new Set<string>();
    for (const have of haves) {
      const commit = await this.peelToCommit(have);
      if (commit) await this.enqueue(commit, true);
      if (commit) edges.add(commit);
    }
    for (const want of wants) await this.addWant(want, roots);
    const included: string[] = [];
    while (this.interesting > 0) {
      const oid = this.heap.pop()!;
      const state = this.commits.get(oid)!;
      state.queued = false;
      if (!state.uninteresting) this.interesting--;
      for (const parent of state.links.parents) {
        if (!this.store.has(parent)) continue; // a shallow history's boundary
        await this.enqueue(parent, state.uninteresting);
        if (!state.uninteresting && this.commits.get(parent)!.uninteresting) edges.add(parent);
      }
      if (!state.uninteresting) included.push(oid);
    }
    for (const edge of edges) await this.excludeTree(this.commits.get(edge)!.links.tree);
    for (const oid of included) this.add(oid);
    for (const root of roots) await this.addObject(root);
    for (const oid of included) await this.addTree(this.commits.get(oid)!.links.tree);
    this.commits.clear();
    this.excluded.clear();
  }

  /** Adds an annotated tag (and the tags it points through) when its target is being sent. */
  async includeTag(tag: string): Promise<void> {
    const chain: string[] = [];
    let oid = tag;
    for (let depth = 0; depth < 10; depth++) {
      const object = await this.store.read(oid);
      if (!object || object.type !== OBJ_TAG) break;
      chain.push(oid);
      oid = parseTag(object.data).object;
    }
    if (chain.length > 0 && this.sending.has(oid)) for (const t of chain) this.add(t);
  }

  private add(oid: string): void {
    if (this.sending.has(oid)) return;
    this.sending.add(oid);
    this.order.push(oid);
  }

  private async peelToCommit(oid: string): Promise<string | null> {
    for (let depth = 0; depth < 10; depth++) {
      const loc = this.store.locate(oid);
      if (!loc) return null;
      if (loc.type === OBJ_COMMIT) return oid;
      if (loc.type !== OBJ_TAG) return null;
      oid = parseTag((await this.store.read(oid))!.data).object;
    }
    return null;
  }

  /** Commits go into the commit walk; tags are sent and peeled; trees and blobs are sent as roots. */
  private async addWant(oid: string, roots: string[]): Promise<void> {
    for (let depth = 0; depth < 10; depth++) {
      const loc = this.store.locate(oid);
      if (!loc) throw new Error(`want ${oid} is not in the repository`);
      if (loc.type === OBJ_COMMIT) return this.enqueue(oid, false);
      if (loc.type !== OBJ_TAG) {
        roots.push(oid);
        return;
      }
      roots.push(oid);
      oid = parseTag((await this.store.read(oid))!.data).object;
    }
  }

  private async enqueue(oid: string, uninteresting: boolean): Promise<void> {
    const known = this.commits.get(oid);
    if (known) {
      if (uninteresting && !known.uninteresting) {
        known.uninteresting = true;
        if (known.queued) this.interesting--;
      }
      return;
    }
    const object = await this.store.read(oid);
    if (!object || object.type !== OBJ_COMMIT) throw new Error(`commit ${oid} is missing`);
    const links = parseCommit(object.data);
    this.commits.set(oid, { links, uninteresting, queued: true });
    this.heap.push(oid, links.time);
    if (!uninteresting) this.interesting++;
  }

  private async addObject(oid: string): Promise<void> {
    const loc = this.store.locate(oid);
    if (loc?.type === OBJ_TREE) return this.addTree(oid);
    if (loc?.type === OBJ_TAG || loc?.type === OBJ_BLOB) this.add(oid);
  }

  private async addTree(tree: string): Promise<void> {
    if (this.excluded.has(tree) || this.sending.has(tree)) return;
    this.add(tree);
    for (const entry of await this.readTree(tree)) {
      if (entry.mode === MODE_GITLINK || this.excluded.has(entry.oid)) continue;
      if (isTreeMode(entry.mode)) await this.addTree(entry.oid);
      else this.add(entry.oid);
    }
  }

  private async excludeTree(tree: string): Promise<void> {
    if (this.excluded.has(tree)) return;
    this.excluded.add(tree);
    for (const entry of await this.readTree(tree)) {
      if (entry.mode === MODE_GITLINK) continue;
      if (isTreeMode(entry.mode)) await this.excludeTree(entry.oid);
      else this.excluded.add(entry.oid);
    }
  }

  private async readTree(oid: string) {
    const object = await this.store.read(oid);
    if (!object || object.type !== OBJ_TREE) throw new Error(`tree ${oid} is missing`);
    return parseTree(object.data);
  }
}
