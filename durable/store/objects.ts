// The object store: finds any object through the object index (one indexed query) and reads it from
// its pack, resolving delta chains, with byte-bounded caches of whole objects and of pack blocks.
import { StorageError } from "../errors";
import { applyDelta } from "../pack/delta";
import { inflate, inflateTransient } from "../pack/inflate";
import { parseEntryHeader } from "../pack/entry";
import { parseTag } from "../pack/parse-object";
import { OBJ_TAG, type GitObject } from "../pack/types";
import { ByteLru } from "./lru";
import type { PackCatalogue, PackInfo } from "./packs";
import { LOOKUPS, Pacer, tick } from "../pacing";
import type { StagedRows } from "./staged-rows";

export interface ObjectLocation {
  oid: string;
  packId: number;
  offset: number;
  end: number;
  type: number;
  size: number;
  baseOid: string | null;
}

/**
 * Whole objects, mostly trees and the delta bases a walk meets again. A walked clone of git's history
 * (its trees read level by level in stored order, where a delta's base was just read) took as long
 * with 8 MiB as with 24 MiB and read 0.5% more rows; the 16 MiB saved is a sixth of the isolate.
 */
const CACHE_BYTES = 8 * 1024 * 1024;
/** Raw pack blocks (READ_BLOCK each), which neighbouring entries share: 128 of them. */
const BLOCK_CACHE_BYTES = 8 * 1024 * 1024;
/**
 * Entries are read in aligned blocks of this size: one chunk of a pack written now, an eighth of one
 * written before chunks were 64 KiB (dofs.ts). A walk over trees scattered through a large pack
 * touches a new block for most entries.
 */
const READ_BLOCK = 64 * 1024;
/** Entries up to this size are read through the block cache even across blocks (16 of them); larger ones are read alone. */
const SPAN_BYTES = 1024 * 1024;
/** Bytes of a pack whose objects sharesObjects checks between turns (about 1,000 objects of git's history, 40 ms). */
const SHARE_WINDOW = 1024 * 1024;
/** Tags pointing to tags are followed this deep at most. */
const MAX_TAG_DEPTH = 10;
/** SQLite binds at most 100 parameters per statement on the platform. */
const LOCATE_BATCH = 100;
/** An ObjectLocation as the SQL API types a row (a type alias, which has the index signature it asks for). */
type LocationRow = { [K in keyof ObjectLocation]: ObjectLocation[K] };

/** The columns of an ObjectLocation, named as its fields: rows come back as locations, with no copy (a scan reads 420,000 of them). */
const COLUMNS = "oid, pack_id AS packId, offset, end, type, size, base_oid AS baseOid";
/** Rows read per query when the object index is scanned in stored order. */
const SCAN_PAGE = 4096;
/** Index rows counted by one statement of typeCounts. */
const COUNT_PAGE = 50_000;
/** Index rows a dropped pack loses between turns. */
const DROP_ROWS = 2048;
/**
 * Staged rows go in as one JSON parameter (the platform binds at most 100). 500 rows make about 65 KB
 * of text, under V8's large-object size, so each statement's text dies young.
 */
const ROWS_PER_INSERT = 500;
const INSERT_ROWS =
  "INSERT OR IGNORE INTO objects (oid, pack_id, offset, end, type, size, base_oid) " +
  "SELECT value ->> 0, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)";

export class ObjectStore {
  private readonly cache = new ByteLru<GitObject>(CACHE_BYTES);
  private readonly blocks = new ByteLru<Uint8Array>(BLOCK_CACHE_BYTES);
  /** Block reads under way, by block key. */
  private readonly reading = new Map<string, Promise<Uint8Array>>();
  /** Rows of the packs being indexed (one per push under way) that are not in the object index yet. */
  private readonly staged = new Map<number, StagedRows>();

  constructor(
    private readonly sql: SqlStorage,
    readonly packs: PackCatalogue,
  ) {}

  /** Lets a pack being indexed answer, to its own push only, for rows it has not inserted yet; null ends it. */
  stage(packId: number, rows: StagedRows | null): void {
    if (rows) this.staged.set(packId, rows);
    else this.staged.delete(packId);
  }

  /**
   * Where `oid` is stored, in a readable pack or in `ownPack` (the pack a push is indexing). Of several
   * copies, the one in the oldest pack: its delta base was stored before it, so following oldest
   * copies never loops, where a resent copy may be a delta on an object stored as a delta on it.
   */
  locate(oid: string, ownPack?: number): ObjectLocation | null {
    // All rows are read (toArray): a query left unfinished keeps its cursor open until collected, and
    // every write to the index then saves each open cursor first. Thousands of them, left by a walk's
    // lookups, made a repack's index inserts 40 times slower (SQLite's saveCursorsOnList in a profile).
    const row = this.sql.exec<LocationRow>(`SELECT ${COLUMNS} FROM objects WHERE oid = ? ORDER BY pack_id`, oid).toArray().find((r) => this.usable(r, ownPack));
    if (row) return row;
    return (ownPack === undefined ? undefined : this.staged.get(ownPack)?.get(oid)) ?? null;
  }

  /** The one stored object whose id starts with `prefix` (lower-case hex), or null when none or several do. */
  uniquePrefix(prefix: string): string | null {
    // "g" sorts after every hex digit: the range is exactly the ids with this prefix, through the index.
    const rows = this.sql.exec<{ oid: string }>("SELECT DISTINCT oid FROM objects WHERE oid >= ? AND oid < ? LIMIT 2", prefix, `${prefix}g`).toArray();
    return rows.length === 1 ? rows[0]!.oid : null;
  }

  /** Locations of many objects, 100 per query; objects not stored are absent from the map. */
  locateMany(oids: string[], ownPack?: number): Map<string, ObjectLocation> {
    const found = new Map<string, ObjectLocation>();
    for (let i = 0; i < oids.length; i += LOCATE_BATCH) this.locateBatch(oids.slice(i, i + LOCATE_BATCH), found, ownPack);
    return found;
  }

  private locateBatch(batch: string[], found: Map<string, ObjectLocation>, ownPack?: number): void {
    const rows = this.sql.exec<LocationRow>(`SELECT ${COLUMNS} FROM objects WHERE oid IN (${batch.map(() => "?").join(",")}) ORDER BY oid, pack_id`, ...batch);
    for (const row of rows) if (!found.has(row.oid) && this.usable(row, ownPack)) found.set(row.oid, row);
  }

  /**
   * Every object of the readable packs (or of `packIds`, in that order), oldest pack first, each pack in
   * stored order; an object held by several packs comes once per pack. One indexed range query per SCAN_PAGE rows, where locating costs
   * an index probe per object.
   */
  *inStoredOrder(packIds?: number[]): Generator<ObjectLocation> {
    for (const pack of packIds ?? this.readablePacks().map((p) => p.id)) {
      for (let after = -1; ; ) {
        const page = this.after(pack, after, SCAN_PAGE);
        yield* page;
        if (page.length < SCAN_PAGE) break;
        after = page[page.length - 1]!.offset;
      }
    }
  }

  /** The `count` objects stored after `loc` in its pack, in stored order. */
  following(loc: ObjectLocation, count: number): ObjectLocation[] {
    return this.after(loc.packId, loc.offset, count);
  }

  /** The index rows of a pack after `offset`, in stored order, `count` at most (a fork copies them a page at a time). */
  after(packId: number, offset: number, count: number): ObjectLocation[] {
    const query = `SELECT ${COLUMNS} FROM objects WHERE pack_id = ? AND offset > ? ORDER BY offset LIMIT ?`;
    return this.sql.exec<LocationRow>(query, packId, offset, count).toArray();
  }

  /**
   * How many entries of `packIds` there are of each type, blobs split at `blobBytes` (`small`: under it),
   * counted COUNT_PAGE index rows a statement with a step of `pacer` between (a statement over all of git's
   * history took some 200 ms).
   */
  async typeCounts(packIds: number[], blobBytes: number, pacer: Pacer): Promise<{ type: number; small: boolean; count: number }[]> {
    const totals = new Map<string, { type: number; small: boolean; count: number }>();
    const query = `SELECT type, size < ? AS small, count(*) AS n, max(offset) AS last FROM
      (SELECT type, size, offset FROM objects WHERE pack_id = ? AND offset > ? ORDER BY offset LIMIT ${COUNT_PAGE}) GROUP BY type, small`;
    for (const pack of packIds) {
      for (let after = -1; ; ) {
        const rows = this.sql.exec<{ type: number; small: number; n: number; last: number }>(query, blobBytes, pack, after).toArray();
        let seen = 0;
        for (const row of rows) {
          const key = `${row.type}:${row.small}`;
          const total = totals.get(key) ?? { type: row.type, small: row.small === 1, count: 0 };
          total.count += row.n;
          totals.set(key, total);
          seen += row.n;
          after = Math.max(after, row.last);
        }
        await pacer.step();
        if (seen < COUNT_PAGE) break;
      }
    }
    return [...totals.values()];
  }

  /** How many entries the readable packs hold: an upper bound on the objects stored. */
  storedEntries(): number {
    return this.readablePacks().reduce((n, p) => n + p.objects, 0);
  }

  private readablePacks(): PackInfo[] {
    return this.packs.all().filter((p) => this.packs.isReadable(p.id)).sort((a, b) => a.id - b.id);
  }

  /** Locations of all of `oids` in stored order, where reads of neighbours share blocks; throws on one not stored. */
  async locateInStoredOrder(oids: string[]): Promise<ObjectLocation[]> {
    // The tree walk locates 32,768 ids at a time, about 300 ms of queries on git's history: each counts a step.
    const found = new Map<string, ObjectLocation>();
    const pacer = new Pacer(LOOKUPS);
    for (let i = 0; i < oids.length; i += LOCATE_BATCH) {
      this.locateBatch(oids.slice(i, i + LOCATE_BATCH), found);
      await pacer.step();
    }
    const missing = oids.find((oid) => !found.has(oid));
    if (missing) throw new StorageError(`object ${missing} is not stored`);
    return [...found.values()].sort(byStoredOrder);
  }

  has(oid: string, ownPack?: number): boolean {
    return this.locate(oid, ownPack) !== null;
  }

  /** The whole object, or null when it is not stored. */
  async read(oid: string, ownPack?: number): Promise<GitObject | null> {
    const cached = this.cache.get(oid);
    if (cached) return cached;
    const loc = this.locate(oid, ownPack);
    return loc ? this.readAt(loc, ownPack) : null;
  }

  /**
   * Whole objects (null where not stored), in order: those not cached are located together (a query
   * per 100), where reading them one at a time located each with a query of its own.
   */
  async readMany(oids: string[]): Promise<(GitObject | null)[]> {
    const found = this.locateMany(oids.filter((oid) => !this.cache.get(oid)));
    const objects: (GitObject | null)[] = [];
    for (const oid of oids) {
      const loc = found.get(oid);
      objects.push(loc ? await this.readAt(loc) : await this.read(oid));
    }
    return objects;
  }

  /** The whole object stored at `loc`. */
  async readAt(loc: ObjectLocation, ownPack?: number): Promise<GitObject> {
    const cached = this.cache.get(loc.oid);
    if (cached) return cached;
    const entry = await this.readEntry(loc);
    const header = parseEntryHeader(entry, 0);
    if (!header) throw new StorageError(`object ${loc.oid} has a truncated entry in pack ${loc.packId}`);
    const compressed = entry.subarray(header.headerLength);
    let data: Uint8Array;
    if (loc.baseOid) {
      // The base first: reading it may use the scratch buffer the delta is inflated into.
      const base = await this.read(loc.baseOid, ownPack);
      if (!base) throw new StorageError(`object ${loc.oid} is a delta on missing ${loc.baseOid}`);
      data = applyDelta(base.data, inflateTransient(compressed, header.size));
    } else {
      data = inflate(compressed, header.size);
    }
    const object = { type: loc.type, data };
    this.remember(loc.oid, object);
    return object;
  }

  /**
   * The stored entry bytes at `loc`. Sealed packs are read a block at a time through a small cache:
   * walks read nearby entries. An entry across blocks (up to SPAN_BYTES) is put together from them,
   * so that a scan in stored order reads each chunk once, where a read of the entry alone read the
   * chunks at both its ends again for the entries beside it (a walked clone of a corpus of 26 MB read
   * 29 MB in 1,100 chunk reads, not 26 MB in 400).
   */
  async readEntry(loc: ObjectLocation): Promise<Uint8Array> {
    const size = this.packs.get(loc.packId)?.bytes ?? 0;
    if (loc.end > size || loc.end - loc.offset > SPAN_BYTES) return this.packs.read(loc.packId, loc.offset, loc.end);
    const first = Math.floor(loc.offset / READ_BLOCK);
    const last = Math.floor((loc.end - 1) / READ_BLOCK);
    if (first === last) return (await this.block(loc.packId, first, size)).subarray(loc.offset - first * READ_BLOCK, loc.end - first * READ_BLOCK);
    const out = new Uint8Array(loc.end - loc.offset);
    for (let block = first; block <= last; block++) {
      const start = block * READ_BLOCK;
      const from = Math.max(loc.offset, start);
      const to = Math.min(loc.end, start + READ_BLOCK);
      out.set((await this.block(loc.packId, block, size)).subarray(from - start, to - start), from - loc.offset);
    }
    return out;
  }

  /**
   * Block `block` of a sealed pack of `size` bytes, through the block cache. Readers that ask for a
   * block being read share that read: a diff reads both trees at once, and their delta bases share
   * blocks (a cold comparison across git's history read 15 of its 72 blocks twice).
   */
  private block(packId: number, block: number, size: number): Promise<Uint8Array> {
    const key = `${packId}:${block}`;
    const bytes = this.blocks.get(key);
    if (bytes) return Promise.resolve(bytes);
    let read = this.reading.get(key);
    if (!read) {
      const start = block * READ_BLOCK;
      read = this.packs.read(packId, start, Math.min(size, start + READ_BLOCK)).then((b) => {
        this.blocks.set(key, b, b.length);
        return b;
      });
      this.reading.set(key, read);
      void read.finally(() => this.reading.delete(key)).catch(() => undefined);
    }
    return read;
  }

  private remember(oid: string, object: GitObject): void {
    this.cache.set(oid, object, object.data.length + 100);
  }

  /**
   * Follows annotated tags from `oid`: the tags passed through, and the first object that is not a tag
   * (its type null when it is not stored). A chain deeper than MAX_TAG_DEPTH ends at a tag.
   */
  async peelTags(oid: string): Promise<{ tags: string[]; target: string; type: number | null }> {
    const tags: string[] = [];
    let target = oid;
    for (let depth = 0; depth < MAX_TAG_DEPTH; depth++) {
      const loc = this.locate(target);
      if (!loc) return { tags, target, type: null };
      if (loc.type !== OBJ_TAG) return { tags, target, type: loc.type };
      tags.push(target);
      target = parseTag((await this.readAt(loc)).data).object;
    }
    return { tags, target, type: this.locate(target)?.type ?? null };
  }

  /** Inserts the staged rows into the object index, and empties them; `pacer` counts each statement, to give way between them. */
  async insertStaged(staged: StagedRows, pacer?: Pacer): Promise<void> {
    for (const values of staged.jsonBatches(ROWS_PER_INSERT)) {
      this.sql.exec(INSERT_ROWS, staged.packId, values);
      if (pacer) await pacer.step(); // without one, no await: the insert ends before the call returns
    }
    staged.clear();
  }

  /** Index rows copied from another repository's pack into pack `packId` of the same bytes (a fork). */
  insertRows(packId: number, rows: ObjectLocation[]): void {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const values = rows.slice(i, i + ROWS_PER_INSERT).map((r) => [r.oid, r.offset, r.end, r.type, r.size, r.baseOid]);
      this.sql.exec(INSERT_ROWS, packId, JSON.stringify(values));
    }
  }

  /** Whether a pack holds an object some other pack holds too. */
  async sharesObjects(packId: number): Promise<boolean> {
    const query =
      "SELECT 1 FROM objects o WHERE o.pack_id = ? AND o.offset >= ? AND o.offset < ? AND EXISTS (SELECT 1 FROM objects p WHERE p.oid = o.oid AND p.pack_id != o.pack_id) LIMIT 1";
    // One window of the pack's bytes at a time, giving way between them: a whole large pack is seconds of SQL.
    const bytes = this.packs.get(packId)?.bytes ?? 0;
    for (let start = 0; start < bytes; start += SHARE_WINDOW) {
      if (this.sql.exec(query, packId, start, start + SHARE_WINDOW).toArray().length > 0) return true;
      await tick();
    }
    return false;
  }

  /**
   * Deletes a pack (one that never went live, or a retired one) with its index rows, and forgets what
   * the caches hold. The rows go DROP_ROWS at a time, giving way between: reads meanwhile find the
   * objects' other copies, or (an incoming pack) never saw them.
   */
  async dropPack(id: number): Promise<void> {
    for (;;) {
      const cut = this.sql.exec<{ offset: number }>("SELECT offset FROM objects WHERE pack_id = ? ORDER BY offset LIMIT 1 OFFSET ?", id, DROP_ROWS - 1).toArray()[0];
      if (!cut) break;
      this.sql.exec("DELETE FROM objects WHERE pack_id = ? AND offset <= ?", id, cut.offset);
      await tick();
    }
    this.sql.exec("DELETE FROM objects WHERE pack_id = ?", id);
    this.packs.drop(id);
    this.forget();
    await this.packs.freeChunks();
  }

  /** Drops every cached object and block (after a pack is dropped, so nothing it held is served again). */
  forget(): void {
    this.forgetObjects();
    this.blocks.clear();
  }

  /** Drops the cached whole objects only: the pack blocks stay, for a pack written from stored entries. */
  forgetObjects(): void {
    this.cache.clear();
  }

  private usable(row: ObjectLocation, ownPack: number | undefined): boolean {
    return row.packId === ownPack || this.packs.isReadable(row.packId);
  }
}

/** Sorts locations by pack and offset, the order in which reads of many objects share blocks. */
function byStoredOrder(a: ObjectLocation, b: ObjectLocation): number {
  return a.packId - b.packId || a.offset - b.offset;
}
