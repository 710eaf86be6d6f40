// The paths that differ between two trees, with their leading directories, for a commit's Bloom
// filter (bloom.ts). This runs for every commit of a history, so it compares raw tree entries as bytes
// and decodes only the names of entries that differ; a subtree with the same id is skipped whole, as
// in git's diff-tree. Counting stops past BLOOM.maxPaths, where the filter is not kept anyway.
import { PackError } from "../errors";
import { bytesToHex } from "../pack/hex";
import { OBJ_TREE } from "../pack/types";
import type { ObjectStore } from "../store/objects";
import { BLOOM, pathKeys } from "./bloom";

interface RawEntry {
  /** The entry's first byte (its mode) and the byte past its id. */
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  tree: boolean;
}

const decoder = new TextDecoder();

function rawEntries(data: Uint8Array): RawEntry[] {
  const entries: RawEntry[] = [];
  for (let p = 0; p < data.length; ) {
    const space = data.indexOf(0x20, p);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new PackError("tree entry is malformed");
    // A tree's mode is "40000"; no other mode starts with "4".
    entries.push({ start: p, end: nul + 21, nameStart: space + 1, nameEnd: nul, tree: data[p] === 0x34 });
    p = nul + 21;
  }
  return entries;
}

/** git's tree order (base_name_compare): names as bytes, a tree's name as if it ended in "/". */
function order(da: Uint8Array, a: RawEntry, db: Uint8Array, b: RawEntry): number {
  const la = a.nameEnd - a.nameStart;
  const lb = b.nameEnd - b.nameStart;
  const common = Math.min(la, lb);
  for (let i = 0; i < common; i++) {
    const d = da[a.nameStart + i]! - db[b.nameStart + i]!;
    if (d !== 0) return d;
  }
  const ca = common < la ? da[a.nameStart + common]! : a.tree ? 0x2f : 0;
  const cb = common < lb ? db[b.nameStart + common]! : b.tree ? 0x2f : 0;
  return ca - cb;
}

function sameBytes(da: Uint8Array, a: RawEntry, db: Uint8Array, b: RawEntry): boolean {
  if (a.end - a.start !== b.end - b.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (da[a.start + i] !== db[b.start + i]) return false;
  return true;
}

const oidOf = (data: Uint8Array, e: RawEntry) => bytesToHex(data.subarray(e.nameEnd + 1, e.end));

/** Thrown inside the walk when the paths pass the cap. */
class TooMany {}

/**
 * Every path that differs between trees `oldTree` and `newTree` (null: the empty tree), with its
 * leading directories, or null when there are more than BLOOM.maxPaths of them.
 */
export async function changedPaths(store: ObjectStore, oldTree: string | null, newTree: string | null): Promise<Set<string> | null> {
  const paths = new Set<string>();
  const add = (path: string) => {
    for (const key of pathKeys(path)) paths.add(key);
    if (paths.size > BLOOM.maxPaths) throw new TooMany();
  };
  const read = async (oid: string | null) => {
    if (oid === null) return new Uint8Array(0);
    const object = await store.read(oid);
    return object?.type === OBJ_TREE ? object.data : new Uint8Array(0);
  };
  const walk = async (before: Uint8Array, after: Uint8Array, prefix: string): Promise<void> => {
    const a = rawEntries(before);
    const b = rawEntries(after);
    const name = (data: Uint8Array, e: RawEntry) => prefix + decoder.decode(data.subarray(e.nameStart, e.nameEnd));
    const one = async (data: Uint8Array, e: RawEntry, removed: boolean) => {
      const path = name(data, e);
      add(path);
      if (e.tree) {
        const below = await read(oidOf(data, e));
        await walk(removed ? below : new Uint8Array(0), removed ? new Uint8Array(0) : below, `${path}/`);
      }
    };
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const c = i >= a.length ? 1 : j >= b.length ? -1 : order(before, a[i]!, after, b[j]!);
      if (c < 0) await one(before, a[i++]!, true);
      else if (c > 0) await one(after, b[j++]!, false);
      else {
        const x = a[i++]!;
        const y = b[j++]!;
        if (sameBytes(before, x, after, y)) continue;
        const path = name(after, y);
        add(path);
        if (x.tree && y.tree) await walk(await read(oidOf(before, x)), await read(oidOf(after, y)), `${path}/`);
      }
    }
  };
  try {
    await walk(await read(oldTree), await read(newTree), "");
    return paths;
  } catch (e) {
    if (e instanceof TooMany) return null;
    throw e;
  }
}
