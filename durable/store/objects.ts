// The object store: finds any object through the object index (one indexed query) and reads it from
// its pack, resolving delta chains, with a byte-bounded cache of whole objects.
import { inflateSync } from "node:zlib";
import { applyDelta } from "../pack/delta";
import { parseEntryHeader } from "../pack/entry";
import type { GitObject } from "../pack/types";
import { ByteLru } from "./lru";
import type { PackCatalogue } from "./packs";

export interface ObjectLocation {
  oid: string;
  packId: number;
  offset: number;
  end: number;
  type: number;
  size: number;
  baseOid: string | null;
}

type ObjectRow = {
  pack_id: number;
  offset: number;
  end: number;
  type: number;
  size: number;
  base_oid: string | null;
};

const CACHE_BYTES = 24 * 1024 * 1024;

export class ObjectStore {
  private readonly cache = new ByteLru<GitObject>(CACHE_BYTES);

  constructor(
    private readonly sql: SqlStorage,
    readonly packs: PackCatalogue,
  ) {}

  /** Where `oid` is stored, in a readable pack or in `ownPack` (the pack a push is indexing). */
  locate(oid: string, ownPack?: number): ObjectLocation | null {
    for (const row of this.sql.exec<ObjectRow>("SELECT pack_id, offset, end, type, size, base_oid FROM objects WHERE oid = ?", oid)) {
      if (row.pack_id === ownPack || this.packs.isReadable(row.pack_id)) {
        return { oid, packId: row.pack_id, offset: row.offset, end: row.end, type: row.type, size: row.size, baseOid: row.base_oid };
      }
    }
    return null;
  }

  has(oid: string, ownPack?: number): boolean {
    return this.locate(oid, ownPack) !== null;
  }

  /** The whole object, or null when it is not stored. */
  async read(oid: string, ownPack?: number): Promise<GitObject | null> {
    const cached = this.cache.get(oid);
    if (cached) return cached;
    const loc = this.locate(oid, ownPack);
    if (!loc) return null;
    const entry = await this.packs.read(loc.packId, loc.offset, loc.end);
    const header = parseEntryHeader(entry, 0);
    if (!header) throw new Error(`object ${oid} has a truncated entry in pack ${loc.packId}`);
    let data: Uint8Array = inflateSync(entry.subarray(header.headerLength));
    if (loc.baseOid) {
      const base = await this.read(loc.baseOid, ownPack);
      if (!base) throw new Error(`object ${oid} is a delta on missing ${loc.baseOid}`);
      data = applyDelta(base.data, data);
    }
    const object = { type: loc.type, data };
    this.remember(oid, object);
    return object;
  }

  remember(oid: string, object: GitObject): void {
    this.cache.set(oid, object, object.data.length + 100);
  }

  /** Drops every cached object (after a pack is dropped, so nothing it held is served again). */
  forget(): void {
    this.cache.clear();
  }
}
