// Streaming pack indexer (gitformat-pack.adoc): reads a pack from a stream, hands every byte to the host
// to store verbatim, and records each object's id, type, size and place. Memory stays bounded: each
// entry is inflated on its own into buffers allocated once, recent objects and a thin pack's stored
// bases are kept as delta bases in a fixed-size ring (older ones are rebuilt from the stored bytes),
// and deltas whose base comes later in the pack are resolved afterwards. Offsets map to entries
// through an in-memory OffsetIndex.
// isomorphic-git's indexPack is not used: it needs the whole pack in memory.
import { InflateError, PackError } from "../errors";
import { createHash, type Hash } from "node:crypto";
import type { ChunkSource } from "../protocol/chunk-source";
import { BaseRing } from "./base-ring";
import { ByteWindow } from "./byte-window";
import { applyDelta, deltaResultSize } from "./delta";
import { inflateInto, inflateTransient, scratchFor } from "./inflate";
import { parseEntryHeader, type EntryHeader } from "./entry";
import { PACK_HEADER_SIZE, PACK_TRAILER_SIZE, parsePackHeader } from "./header";
import { bytesToHex } from "./hex";
import { headerLength, objectId } from "./object-id";
import { OffsetIndex } from "./offset-index";
import { OBJ_BLOB, OBJ_OFS_DELTA, OBJ_REF_DELTA, type GitObject } from "./types";
import { BigResult, compressedIn, inflateStreamed, piecesIn, type CompressedInput, type ScratchSink } from "./big-entries";
import { DeltaStream, memoryReader, type RangeReader } from "./delta-stream";

export interface IndexedEntry {
  oid: string;
  offset: number;
  end: number;
  type: number;
  size: number;
  baseOid: string | null;
}

export interface IndexerHost {
  /** Stores raw pack bytes, in order. */
  write(bytes: Uint8Array): void;
  /** Records an indexed entry; `object` is its content, valid only during the call. */
  record(entry: IndexedEntry, object: GitObject): void;
  /** The stored entry of a REF_DELTA's base: an object already in the store, or one recorded in this pack. */
  readStored(oid: string): Promise<StoredEntry | null>;
  /** Bytes of this pack already written. */
  readRange(start: number, end: number): Promise<Uint8Array>;
  /** The same, in the pieces the store reads it in (PackCatalogue.pieces), for an entry too big to read at once. */
  pieces(start: number, end: number): AsyncIterable<Uint8Array>;
  /** The number of objects the pack's header announces, before any is recorded. */
  begin?(count: number): void;
  /** Called after each entry: the host may store what it holds, and gives way to other requests now and then (pacing.ts). */
  pace?(): Promise<void>;
  /** A scratch file for the content of a big object of this pack (big-entries.ts), for deltas on it later. */
  scratch(name: string): ScratchSink;
  /** A big stored object (a thin pack's delta base), by ranges; null when it is not stored or not big. */
  storedBig(oid: string): Promise<BigObject | null>;
}

/** An object too big to hold whole: its type, and its content by ranges. */
export interface BigObject {
  type: number;
  reader: RangeReader;
}

/** How big a pack and its objects may be (worker/settings.ts). */
export interface PackLimits {
  /** The whole pack's bytes. */
  maxBytes: number;
  /** Objects above this are streamed, never held whole. */
  bigObjectBytes: number;
  /** Objects above this are indexed (to learn their ids) and reported in `oversized`; the caller refuses the pack. */
  maxObjectBytes: number;
}

/** An object over PackLimits.maxObjectBytes. */
export interface Oversized {
  oid: string;
  size: number;
}

/** An object's entry as stored: its bytes (entry header and zlib data) and, for a delta, its base's id. */
export interface StoredEntry {
  bytes: Uint8Array;
  baseOid: string | null;
}

export interface IndexResult {
  count: number;
  bytes: number;
  checksum: string;
  oversized: Oversized[];
}

/** What the indexer holds while it reads a pack: recent objects, the entries so far, and how to record one. */
interface Workspace {
  host: IndexerHost;
  ring: BaseRing;
  entries: OffsetIndex;
  /** Where the last entry ends (the trailer's offset), once the whole pack has been read. */
  dataEnd: number;
  /** Stored objects kept in the ring (REF_DELTA bases), by id: their keys there, -1 and down. */
  stored: Map<string, number>;
  /** Records entry number `entry` of the pack with the host, in the offset index and in the ring. */
  record(entry: number, e: IndexedEntry, object: GitObject): void;
  limits: PackLimits;
  /** This pack's big objects, by entry number, in their scratch files. */
  big: Map<number, BigObject>;
  /** Stored objects met as bases, by id: big ones, and null for those that are not. */
  storedBig: Map<string, BigObject | null>;
  oversized: Oversized[];
}

/** A delta's base: its id, and its entry number when it is an OFS_DELTA's (-1 for a REF_DELTA's). */
interface Base {
  oid: string;
  entry: number;
}

interface Deferred {
  entry: number;
  offset: number;
  end: number;
  header: EntryHeader;
}

/** The most entries reserved up front from a pack's header (git's own history has about 420,000). */
export const MAX_RESERVED_ENTRIES = 2_000_000;

/**
 * The base ring's size: a pack's deltas mostly build on objects shortly before them (git's own cache is
 * 96 MiB). Over git's own history 8 MiB pushed as fast as 16 MiB and left the process 8 MB smaller.
 */
const BASE_RING_BYTES = 8 * 1024 * 1024;

export async function indexPack(source: ChunkSource, host: IndexerHost, limits: PackLimits): Promise<IndexResult> {
  return indexFrom(new ByteWindow(source, (chunk) => host.write(chunk), limits.maxBytes), host, limits);
}

async function indexFrom(win: ByteWindow, host: IndexerHost, limits: PackLimits): Promise<IndexResult> {
  const sha = createHash("sha1");
  await win.fill(PACK_HEADER_SIZE);
  if (win.available < PACK_HEADER_SIZE) throw new PackError("pack is truncated: no header");
  let count: number;
  try {
    count = parsePackHeader(win.view()).count;
  } catch (e) {
    throw new PackError((e as Error).message);
  }
  sha.update(win.consume(PACK_HEADER_SIZE));
  host.begin?.(count);
  const deferred: Deferred[] = [];
  // Capped, so a header claiming billions of objects cannot reserve memory before any arrives.
  const reserved = Math.min(count, MAX_RESERVED_ENTRIES);
  const ring = new BaseRing(BASE_RING_BYTES, reserved);
  const entries = new OffsetIndex(reserved);
  const work: Workspace = {
    host,
    ring,
    entries,
    dataEnd: Infinity,
    stored: new Map(),
    record: (entry, e, object) => {
      entries.setOid(entry, e.oid);
      ring.keep(entry, object);
      host.record(e, object);
    },
    limits,
    big: new Map(),
    storedBig: new Map(),
    oversized: [],
  };

  for (let i = 0; i < count; i++) {
    const offset = win.offset;
    const entry = entries.add(offset);
    await win.fill(32);
    const header = parseEntryHeaderOrFail(win.view());
    const isDelta = header.type === OBJ_OFS_DELTA || header.type === OBJ_REF_DELTA;
    const baseRef = isDelta ? baseOf(header, offset, entries) : null;
    if (await isBigEntry(work, header, baseRef)) {
      await indexBig(work, win, sha, entry, offset, header, baseRef, deferred);
    } else if (isDelta) {
      // The base is fetched before the delta is inflated: fetching it may use the same scratch buffer.
      const base = baseRef ? await readBase(work, baseRef) : null;
      const out = scratchFor(header.size);
      sha.update(win.consume(await inflateEntry(win, header, offset, out)));
      if (base && baseRef) await recordDelta(work, entry, offset, win.offset, baseRef.oid, base, out.subarray(0, header.size));
      else deferred.push({ entry, offset, end: win.offset, header });
    } else {
      // Room for the object's header before its content, so that its id is hashed without a copy.
      const lead = headerLength(header.type, header.size);
      const out = ring.room(lead + header.size).subarray(lead);
      sha.update(win.consume(await inflateEntry(win, header, offset, out)));
      const data = out.subarray(0, header.size);
      work.record(entry, { oid: await objectId(header.type, data), offset, end: win.offset, type: header.type, size: header.size, baseOid: null }, { type: header.type, data });
    }
    await host.pace?.();
  }

  work.dataEnd = win.offset;
  await win.fill(PACK_TRAILER_SIZE + 1);
  if (win.available < PACK_TRAILER_SIZE) throw new PackError("pack is truncated: no trailer");
  if (win.available > PACK_TRAILER_SIZE) throw new PackError("pack has trailing garbage");
  const checksum = bytesToHex(win.consume(PACK_TRAILER_SIZE));
  if (checksum !== sha.digest("hex")) throw new PackError("pack checksum mismatch");
  await resolveDeferred(deferred, work);
  return { count, bytes: win.offset, checksum, oversized: work.oversized };
}

function parseEntryHeaderOrFail(buf: Uint8Array): EntryHeader {
  try {
    const header = parseEntryHeader(buf, 0);
    if (!header) throw new PackError("pack is truncated inside an entry header");
    return header;
  } catch (e) {
    throw new PackError((e as Error).message);
  }
}

/**
 * Inflates the entry at the window's front into `out` (room for its size + 1), reading ahead until its
 * whole zlib stream is there, and returns the entry's length: header plus compressed data.
 */
async function inflateEntry(win: ByteWindow, header: EntryHeader, offset: number, out: Uint8Array): Promise<number> {
  // Stored (incompressible) data grows by 5 bytes per 16 KiB block, plus the zlib header and trailer.
  let want = header.headerLength + Math.min(header.size + (header.size >> 12) + 64, 1 << 20);
  for (;;) {
    await win.fill(want);
    // Only the bytes this entry may need go to zlib: passing the whole read-ahead would copy it per entry.
    const input = win.view().subarray(header.headerLength, want);
    try {
      return header.headerLength + inflateInto(input, out, header.size);
    } catch (e) {
      if (!(e instanceof InflateError) || !e.truncated) throw new PackError(`entry at offset ${offset} is corrupt: ${(e as Error).message}`);
      if (win.eof && want >= win.available) throw new PackError(`pack is truncated inside the entry at offset ${offset}`);
      // Grow from what this entry asked for, not from the read-ahead, so the window stays near the entry's size.
      want *= 2;
    }
  }
}

/** The base of a delta entry, or null while it is an entry of this pack not resolved yet (or none). */
function baseOf(header: EntryHeader, offset: number, entries: OffsetIndex): Base | null {
  // A REF_DELTA's base may be in this pack too, but git sends those only to servers without ofs-delta;
  // the host then finds it among the rows recorded so far.
  if (header.baseOid) return { oid: header.baseOid, entry: -1 };
  const baseOffset = offset - header.baseDistance!;
  if (baseOffset < PACK_HEADER_SIZE) throw new PackError(`delta at offset ${offset} points before the pack start`);
  const entry = entries.entryAt(baseOffset);
  const oid = entry >= 0 ? entries.oidOf(entry) : null;
  return oid ? { oid, entry } : null;
}

async function recordDelta(work: Workspace, entry: number, offset: number, end: number, baseOid: string, base: GitObject, delta: Uint8Array): Promise<void> {
  if (base.type === OBJ_BLOB && deltaResultSize(delta) > work.limits.bigObjectBytes) {
    // A small delta on a small base that makes a big object: the result is streamed all the same.
    const result = new BigResult(work.host.scratch(`e${entry}`), base.type);
    const stream = new DeltaStream(memoryReader(base.data), (piece) => result.add(piece, stream.size));
    deltaCorrupt(offset, () => {
      stream.feed(delta);
      stream.finish();
    });
    recordBig(work, entry, result, stream.size, { offset, end, baseOid });
    return;
  }
  let data: Uint8Array;
  try {
    data = applyDelta(base.data, delta, (size) => {
      const lead = headerLength(base.type, size);
      return work.ring.room(lead + size).subarray(lead);
    });
  } catch (e) {
    throw new PackError(`delta at offset ${offset} is corrupt: ${(e as Error).message}`);
  }
  work.record(entry, { oid: await objectId(base.type, data), offset, end, type: base.type, size: data.length, baseOid }, { type: base.type, data });
}

/**
 * A delta's base: an entry of this pack from the ring, or else rebuilt from its stored bytes and kept
 * in the ring again; a REF_DELTA's base from the store.
 */
async function readBase(work: Workspace, base: Base): Promise<GitObject | null> {
  return base.entry >= 0 ? entryObject(work, base.entry) : storedObject(work, base.oid);
}

/** A delta's base when it is big (this pack's, or stored); null when it is small or unknown. */
async function bigBase(work: Workspace, base: Base): Promise<BigObject | null> {
  if (base.entry >= 0) return work.big.get(base.entry) ?? null;
  if (!work.storedBig.has(base.oid)) work.storedBig.set(base.oid, await work.host.storedBig(base.oid));
  return work.storedBig.get(base.oid) ?? null;
}

/** Whether an entry takes the streamed path: a big blob, a big delta on a blob, or any delta on a big object. */
async function isBigEntry(work: Workspace, header: EntryHeader, baseRef: Base | null): Promise<boolean> {
  if (header.type === OBJ_BLOB) return header.size > work.limits.bigObjectBytes;
  if (header.type !== OBJ_OFS_DELTA && header.type !== OBJ_REF_DELTA) return false;
  if (!baseRef) return header.size > work.limits.bigObjectBytes;
  if (await bigBase(work, baseRef)) return true;
  if (header.size <= work.limits.bigObjectBytes) return false;
  const base = await readBase(work, baseRef);
  return base?.type === OBJ_BLOB;
}

/**
 * A stored object (a thin pack's base, or a REF_DELTA base recorded in this pack), from the ring or
 * else built in it from the stored entries of its delta chain, each of which is kept there too. A
 * thin pack has tens of thousands of such bases per 50 MB pushed; read through the object store, each
 * would be an array of its own.
 */
async function storedObject(work: Workspace, oid: string): Promise<GitObject | null> {
  const key = work.stored.get(oid);
  const kept = key === undefined ? null : work.ring.get(key);
  if (kept) return kept;
  const stored = await work.host.readStored(oid);
  if (!stored) return null;
  const base = stored.baseOid ? await storedObject(work, stored.baseOid) : null;
  if (stored.baseOid && !base) return null;
  const object = buildInRing(work, stored.bytes, parseEntryHeaderOrFail(stored.bytes), base);
  const newKey = key ?? -1 - work.stored.size;
  work.stored.set(oid, newKey);
  work.ring.keep(newKey, object);
  return object;
}

/** The object of resolved entry `entry`, from the ring or rebuilt from the pack's bytes as stored so far. */
async function entryObject(work: Workspace, entry: number): Promise<GitObject | null> {
  const kept = work.ring.get(entry);
  if (kept) return kept;
  const offset = work.entries.offsetOf(entry);
  const end = entry + 1 < work.entries.size ? work.entries.offsetOf(entry + 1) : work.dataEnd;
  const raw = await work.host.readRange(offset, end);
  const header = parseEntryHeaderOrFail(raw);
  let base: GitObject | null = null;
  if (header.type === OBJ_OFS_DELTA || header.type === OBJ_REF_DELTA) {
    const baseRef = baseOf(header, offset, work.entries);
    base = baseRef ? await readBase(work, baseRef) : null;
    if (!base) return null;
  }
  const object = buildInRing(work, raw, header, base);
  work.ring.keep(entry, object);
  return object;
}

/**
 * The object of an entry (`raw`: its header, then zlib data), written into the ring: inflated when
 * whole, else its delta applied to `base`, which the caller fetched first (it may use the scratch
 * buffer the delta is inflated into).
 */
function buildInRing(work: Workspace, raw: Uint8Array, header: EntryHeader, base: GitObject | null): GitObject {
  const compressed = raw.subarray(header.headerLength);
  if (base) return { type: base.type, data: applyDelta(base.data, inflateTransient(compressed, header.size), (size) => work.ring.room(size)) };
  const out = work.ring.room(header.size);
  inflateInto(compressed, out, header.size);
  return { type: header.type, data: out.subarray(0, header.size) };
}

/**
 * Indexes an entry that takes the streamed path (isBigEntry) from the window: inflated a piece at a
 * time, a blob hashed and written to its scratch file as it comes, a delta applied as it comes; a
 * delta whose base is not known yet is read past (inflated, to find its end) and resolved later.
 */
async function indexBig(work: Workspace, win: ByteWindow, sha: Hash, entry: number, offset: number, header: EntryHeader, baseRef: Base | null, deferred: Deferred[]): Promise<void> {
  sha.update(win.consume(header.headerLength));
  const input = compressedIn(win, sha);
  if (header.type === OBJ_BLOB) {
    const result = new BigResult(work.host.scratch(`e${entry}`), OBJ_BLOB);
    await inflateStreamed(input, header.size, offset, (piece) => result.add(piece, header.size));
    recordBig(work, entry, result, header.size, { offset, end: win.offset, baseOid: null });
    return;
  }
  const base = baseRef && (await baseObject(work, baseRef));
  if (!base || !baseRef) {
    await inflateStreamed(input, header.size, offset, () => undefined);
    deferred.push({ entry, offset, end: win.offset, header });
    return;
  }
  await streamDelta(work, entry, offset, header, baseRef.oid, base, input, () => win.offset);
}

/** A delta's base as a BigObject: big ones from their scratch files, small ones from memory. */
async function baseObject(work: Workspace, base: Base): Promise<BigObject | null> {
  const big = await bigBase(work, base);
  if (big) return big;
  const small = await readBase(work, base);
  return small && { type: small.type, reader: memoryReader(small.data) };
}

/** Applies a delta read from `input` to `base`, streaming its result into a scratch file, and records it. */
async function streamDelta(work: Workspace, entry: number, offset: number, header: EntryHeader, baseOid: string, base: BigObject, input: CompressedInput, endOf: () => number): Promise<void> {
  const result = new BigResult(work.host.scratch(`e${entry}`), base.type);
  const stream = new DeltaStream(base.reader, (piece) => result.add(piece, stream.size));
  await inflateStreamed(input, header.size, offset, (piece) => deltaCorrupt(offset, () => stream.feed(piece)));
  deltaCorrupt(offset, () => stream.finish());
  recordBig(work, entry, result, stream.size, { offset, end: endOf(), baseOid });
}

/** Records a big object: its id, its scratch file for deltas on it, and (over the limit) that it is oversized. */
function recordBig(work: Workspace, entry: number, result: BigResult, size: number, at: { offset: number; end: number; baseOid: string | null }): void {
  const { oid, reader } = result.finish(size);
  work.entries.setOid(entry, oid);
  work.big.set(entry, { type: result.type, reader });
  if (size > work.limits.maxObjectBytes) work.oversized.push({ oid, size });
  // Never in the ring, and its content not handed on: a blob has no links for the host to check.
  work.host.record({ oid, ...at, type: result.type, size }, { type: result.type, data: new Uint8Array(0) });
}

/** Runs `fn`, turning a delta's errors into the pack error that names its entry. */
function deltaCorrupt<T>(offset: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new PackError(`delta at offset ${offset} is corrupt: ${(e as Error).message}`);
  }
}

/** Resolves deltas whose bases were not known when they streamed past, until none is left or none can be. */
async function resolveDeferred(pending: Deferred[], work: Workspace): Promise<void> {
  while (pending.length > 0) {
    const still: Deferred[] = [];
    for (const d of pending) {
      const baseRef = baseOf(d.header, d.offset, work.entries);
      if (baseRef && (await deferredBig(work, d, baseRef))) {
        await work.host.pace?.();
        continue;
      }
      const base = baseRef ? await readBase(work, baseRef) : null;
      if (!base || !baseRef) {
        still.push(d);
        continue;
      }
      const raw = await work.host.readRange(d.offset + d.header.headerLength, d.end);
      await recordDelta(work, d.entry, d.offset, d.end, baseRef.oid, base, inflateTransient(raw, d.header.size));
      await work.host.pace?.();
    }
    if (still.length === pending.length) {
      const d = still[0];
      throw new PackError(`missing delta base ${d.header.baseOid ?? `at offset ${d.offset - d.header.baseDistance!}`} for the entry at offset ${d.offset}`);
    }
    pending = still;
  }
}

/** Resolves a deferred delta on the streamed path when it takes it (isBigEntry), reading it from the stored pack; false when it does not. */
async function deferredBig(work: Workspace, d: Deferred, baseRef: Base): Promise<boolean> {
  if (!(await isBigEntry(work, d.header, baseRef))) return false;
  const base = await baseObject(work, baseRef);
  if (!base) return false;
  const input = piecesIn(work.host.pieces(d.offset + d.header.headerLength, d.end));
  await streamDelta(work, d.entry, d.offset, d.header, baseRef.oid, base, input, () => d.end);
  return true;
}
