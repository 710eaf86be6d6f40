// Connectivity of a pushed pack without walking it again: while the pack is indexed, every object it
// holds and every object those link to are marked in one OidTable. The pack is closed when each
// linked object is in the pack or already stored; stored objects were checked when their own pack
// arrived, so in a closed pack every tip that exists is connected (the answer git's receive-pack gets
// from `rev-list --objects <tips> --not --all`).
import { forEachLink } from "../pack/parse-object";
import { bytesToHex, hexToBytes } from "../pack/hex";
import { MAX_RESERVED_ENTRIES } from "../pack/indexer";
import { OidTable } from "../pack/oid-table";
import { OBJ_COMMIT, OBJ_TAG, OBJ_TREE, type GitObject } from "../pack/types";
import type { ObjectStore } from "../store/objects";

const IN_PACK = 1;
const LINKED = 2;
const LOCATE_BATCH = 100;
const LINK_TYPES = new Map<number, "commit" | "tree" | "tag">([
  [OBJ_COMMIT, "commit"],
  [OBJ_TREE, "tree"],
  [OBJ_TAG, "tag"],
]);

export class PackClosure {
  private table = new OidTable();
  private readonly link = (bytes: Uint8Array, at: number) => this.table.mark(bytes, at, LINKED);
  /** Objects the pack holds more than once. */
  duplicates = 0;

  /** Sizes the table for a pack of `count` objects before the first is added, so it need not grow. */
  reserve(count: number): void {
    if (this.table.size === 0) this.table = new OidTable(Math.min(count, MAX_RESERVED_ENTRIES));
  }

  /** Notes an object of the pack and its links. */
  add(oid: string, object: GitObject): void {
    const id = hexToBytes(oid);
    if (this.table.flagsOf(id, 0) & IN_PACK) this.duplicates++;
    this.table.mark(id, 0, IN_PACK);
    const type = LINK_TYPES.get(object.type);
    if (type) forEachLink(type, object.data, this.link);
  }

  /** The first linked object that is neither in the pack nor stored, or null when the pack is closed. */
  firstMissing(store: ObjectStore, ownPack: number): string | null {
    const outside: string[] = [];
    this.table.forEach((id, flags) => {
      if (flags === LINKED) outside.push(bytesToHex(id));
    });
    for (let i = 0; i < outside.length; i += LOCATE_BATCH) {
      const batch = outside.slice(i, i + LOCATE_BATCH);
      const found = store.locateMany(batch, ownPack);
      const missing = batch.find((oid) => !found.has(oid));
      if (missing) return missing;
    }
    return null;
  }
}
