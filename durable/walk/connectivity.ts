// Connectivity check after a push: every object reachable from the new tips must exist. The walk
// descends only through objects of the pack just received; objects already stored in readable packs
// were checked when they arrived. Gitlinks (submodule commits) are never followed. Objects proven
// connected are remembered across tips, so a push of many refs walks each object once. The walk goes
// breadth first so each level's objects are located with one index query per 100. A pack found closed
// while it was indexed (pack-closure.ts) needs no walk: a tip that exists is connected.
import { MODE_GITLINK, parseCommit, parseTag, parseTree } from "../pack/parse-object";
import { OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";
import { Pacer, WALK_OBJECTS } from "../pacing";
import type { ObjectStore } from "../store/objects";

const LOCATE_BATCH = 100;

export class ConnectivityCheck {
  private connected = new Set<string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly ownPack: number | undefined,
    private readonly closed: boolean,
  ) {}

  /** Returns the first missing object id, or null when everything reachable from `tip` exists. */
  async missingFrom(tip: string): Promise<string | null> {
    if (this.closed) return this.store.has(tip, this.ownPack) ? null : tip;
    const seen = new Set<string>([tip]);
    let level = this.connected.has(tip) ? [] : [tip];
    const pacer = new Pacer(WALK_OBJECTS);
    while (level.length > 0) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += LOCATE_BATCH) {
        const batch = level.slice(i, i + LOCATE_BATCH);
        const found = this.store.locateMany(batch, this.ownPack);
        for (const oid of batch) {
          const loc = found.get(oid);
          if (!loc) return oid;
          if (loc.packId !== this.ownPack) continue;
          if (loc.type !== OBJ_COMMIT && loc.type !== OBJ_TREE && loc.type !== OBJ_TAG) continue;
          const object = await this.store.readAt(loc, this.ownPack);
          await pacer.step();
          for (const link of links(object.type, object.data)) {
            if (seen.has(link) || this.connected.has(link)) continue;
            seen.add(link);
            next.push(link);
          }
        }
      }
      level = next;
    }
    // Only a walk that completed proves its objects connected.
    for (const oid of seen) this.connected.add(oid);
    return null;
  }
}

function links(type: number, data: Uint8Array): string[] {
  if (type === OBJ_COMMIT) {
    const commit = parseCommit(data);
    return [commit.tree, ...commit.parents];
  }
  if (type === OBJ_TREE) return parseTree(data).filter((e) => e.mode !== MODE_GITLINK).map((e) => e.oid);
  return [parseTag(data).object];
}
