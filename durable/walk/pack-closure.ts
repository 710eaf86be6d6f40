// Connectivity of a pushed pack without walking it again: while the pack is indexed, every object it
// holds, its type, and every object those link to with the type each link needs (a commit's tree, a
// parent commit, a tree entry's tree or blob, a tag's stated type) are marked in one OidTable. The
// pack is closed when each linked object is in the pack or already stored; stored objects were
// checked when their own pack arrived, so in a closed pack every tip that exists is connected (the
// answer git's receive-pack gets from `rev-list --objects <tips> --not --all`). A link to an object
// of the wrong type (a commit whose tree is a blob, a directory entry naming a blob) refuses the push
// whatever the object checks' settings: no clone could read such a history.
import { bytesToHex, hexToBytes } from "../pack/hex";
import { MAX_RESERVED_ENTRIES } from "../pack/indexer";
import { OidTable } from "../pack/oid-table";
import { forEachLink, parseTag } from "../pack/parse-object";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE, typeName, typeNumber, type GitObject, type ObjectType } from "../pack/types";
import { LOOKUPS, Pacer } from "../pacing";
import type { ObjectStore } from "../store/objects";

const IN_PACK = 1;
/** The type a link needs, one bit each. */
const WANT: Record<number, number> = { [OBJ_COMMIT]: 2, [OBJ_TREE]: 4, [OBJ_BLOB]: 8, [OBJ_TAG]: 16 };
const WANTS = 2 | 4 | 8 | 16;
/** The type of an object in the pack, as OBJ_* - 1 in two bits. */
const TYPE_SHIFT = 5;
const LOCATE_BATCH = 100;

/** A link that cannot stand: the object it names, the type the link needs, the type it has. */
export interface TypeMismatch {
  oid: string;
  wanted: number;
  actual: number;
}

export class PackClosure {
  private table = new OidTable();
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
    this.table.mark(id, 0, IN_PACK | ((object.type - 1) << TYPE_SHIFT));
    if (object.type === OBJ_COMMIT) forEachLink("commit", object.data, (b, at, isTree) => this.table.mark(b, at, WANT[isTree ? OBJ_TREE : OBJ_COMMIT]!));
    else if (object.type === OBJ_TREE) forEachLink("tree", object.data, (b, at, isTree) => this.table.mark(b, at, WANT[isTree ? OBJ_TREE : OBJ_BLOB]!));
    else if (object.type === OBJ_TAG) this.addTag(object.data);
  }

  /** A tag links to an object of the type it states (one it does not know is the object checks' to refuse). */
  private addTag(data: Uint8Array): void {
    let tag: { object: string; type: string };
    try {
      tag = parseTag(data);
    } catch {
      return;
    }
    const want = WANT[typeNumber(tag.type as ObjectType) ?? 0];
    if (want) this.table.mark(hexToBytes(tag.object), 0, want);
  }

  /** The first link of the pack's objects to an object of another type, in the pack or stored. */
  async firstMismatch(store: ObjectStore, ownPack: number): Promise<TypeMismatch | null> {
    let found: TypeMismatch | null = null;
    const outside: { oid: string; wants: number }[] = [];
    this.table.forEach((id, flags) => {
      const wants = flags & WANTS;
      if (!wants || found) return;
      if (!(flags & IN_PACK)) return void outside.push({ oid: bytesToHex(id), wants });
      const actual = ((flags >> TYPE_SHIFT) & 3) + 1;
      if (wants & ~WANT[actual]!) found = { oid: bytesToHex(id), wanted: wantedType(wants & ~WANT[actual]!), actual };
    });
    const pacer = new Pacer(LOOKUPS);
    for (let i = 0; !found && i < outside.length; i += LOCATE_BATCH) {
      await pacer.step();
      const batch = outside.slice(i, i + LOCATE_BATCH);
      const located = store.locateMany(batch.map((o) => o.oid), ownPack);
      for (const { oid, wants } of batch) {
        const loc = located.get(oid);
        if (loc && wants & ~WANT[loc.type]!) {
          found = { oid, wanted: wantedType(wants & ~WANT[loc.type]!), actual: loc.type };
          break;
        }
      }
    }
    return found;
  }

  /** The first linked object that is neither in the pack nor stored, or null when the pack is closed. */
  async firstMissing(store: ObjectStore, ownPack: number): Promise<string | null> {
    const outside: string[] = [];
    this.table.forEach((id, flags) => {
      if (!(flags & IN_PACK) && flags & WANTS) outside.push(bytesToHex(id));
    });
    const pacer = new Pacer(LOOKUPS);
    for (let i = 0; i < outside.length; i += LOCATE_BATCH) {
      await pacer.step();
      const batch = outside.slice(i, i + LOCATE_BATCH);
      const found = store.locateMany(batch, ownPack);
      const missing = batch.find((oid) => !found.has(oid));
      if (missing) return missing;
    }
    return null;
  }
}

function wantedType(bits: number): number {
  return [OBJ_COMMIT, OBJ_TREE, OBJ_BLOB, OBJ_TAG].find((t) => bits & WANT[t]!)!;
}

/** "a commit whose tree line names a blob"-style detail, as the refusal says it. */
export function mismatchMessage(m: TypeMismatch): string {
  return `it is a ${typeName(m.actual)}, but is linked to as a ${typeName(m.wanted)}`;
}
