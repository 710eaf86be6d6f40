// Streaming pack indexer (gitformat-pack.adoc): reads a pack from a stream, hands every byte to the host
// to store verbatim, and records each object's id, type, size and place. Memory stays bounded: each
// entry is inflated on its own, delta bases come from the host (a bounded cache, then storage), and
// deltas whose base comes later in the pack are resolved afterwards from the stored bytes. Offsets map
// to ids through an in-memory OffsetIndex.
// isomorphic-git's indexPack is not used: it needs the whole pack in memory.
import { createHash } from "node:crypto";
import type { ChunkSource } from "../protocol/chunk-source";
import { ByteWindow } from "./byte-window";
import { applyDelta } from "./delta";
import { inflate } from "./inflate";
import { parseEntryHeader, type EntryHeader } from "./entry";
import { PACK_HEADER_SIZE, PACK_TRAILER_SIZE, parsePackHeader } from "./header";
import { bytesToHex } from "./hex";
import { objectId } from "./object-id";
import { OffsetIndex } from "./offset-index";
import { OBJ_OFS_DELTA, OBJ_REF_DELTA, type GitObject } from "./types";

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
  /** Records an indexed entry; `object` is its content, for the host to cache as a likely delta base. */
  record(entry: IndexedEntry, object: GitObject): void;
  /** A delta base: an object recorded in this pack or one already in the store. */
  readBase(oid: string): Promise<GitObject | null>;
  /** Bytes of this pack already written. */
  readRange(start: number, end: number): Promise<Uint8Array>;
  /** The number of objects the pack's header announces, before any is recorded. */
  begin?(count: number): void;
}

export interface IndexResult {
  count: number;
  bytes: number;
  checksum: string;
}

export class PackError extends Error {}

/** Records entry number `entry` of the pack with the host and in the offset index. */
type RecordEntry = (entry: number, e: IndexedEntry, object: GitObject) => void;

interface Deferred {
  entry: number;
  offset: number;
  end: number;
  header: EntryHeader;
}

/** The most entries reserved up front from a pack's header (git's own history has about 420,000). */
export const MAX_RESERVED_ENTRIES = 2_000_000;

/** Largest object kept whole in memory; git's own default for big files is 512 MiB, the isolate has 128 MB. */
const MAX_OBJECT_BYTES = 48 * 1024 * 1024;

export async function indexPack(source: ChunkSource, host: IndexerHost, maxBytes: number): Promise<IndexResult> {
  return indexFrom(new ByteWindow(source, (chunk) => host.write(chunk), maxBytes), host);
}

async function indexFrom(win: ByteWindow, host: IndexerHost): Promise<IndexResult> {
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
  const entries = new OffsetIndex(Math.min(count, MAX_RESERVED_ENTRIES));
  const record: RecordEntry = (entry, e, object) => {
    entries.setOid(entry, e.oid);
    host.record(e, object);
  };

  for (let i = 0; i < count; i++) {
    const offset = win.offset;
    const entry = entries.add(offset);
    await win.fill(32);
    const header = parseEntryHeaderOrFail(win.view());
    if (header.size > MAX_OBJECT_BYTES) throw new PackError(`object at offset ${offset} is ${header.size} bytes, over the ${MAX_OBJECT_BYTES}-byte limit`);
    const { data, consumed } = await inflateEntry(win, header, offset);
    sha.update(win.consume(header.headerLength + consumed));
    const end = win.offset;
    if (header.type === OBJ_OFS_DELTA || header.type === OBJ_REF_DELTA) {
      const baseOid = baseOidOf(header, offset, entries);
      const base = baseOid ? await host.readBase(baseOid) : null;
      if (base && baseOid) recordDelta(record, entry, offset, end, baseOid, base, data);
      else deferred.push({ entry, offset, end, header });
    } else {
      record(entry, { oid: objectId(header.type, data), offset, end, type: header.type, size: data.length, baseOid: null }, { type: header.type, data });
    }
  }

  await win.fill(PACK_TRAILER_SIZE + 1);
  if (win.available < PACK_TRAILER_SIZE) throw new PackError("pack is truncated: no trailer");
  if (win.available > PACK_TRAILER_SIZE) throw new PackError("pack has trailing garbage");
  const checksum = bytesToHex(win.consume(PACK_TRAILER_SIZE));
  if (checksum !== sha.digest("hex")) throw new PackError("pack checksum mismatch");
  await resolveDeferred(deferred, host, entries, record);
  return { count, bytes: win.offset, checksum };
}

function parseEntryHeaderOrFail(buf: Uint8Array): EntryHeader {
  try {
    const header = parseEntryHeader(buf, 0);
    if (!header) throw new Error("pack is truncated inside an entry header");
    return header;
  } catch (e) {
    throw new PackError((e as Error).message);
  }
}

/**
 * Inflates the entry at the window's front, reading ahead until its whole zlib stream is there.
 * One-shot inflateSync without `info` is several times faster in workerd than with it (the `info` path
 * builds a stream engine per call), so the end of the stream is found from its Adler-32 trailer instead.
 */
async function inflateEntry(win: ByteWindow, header: EntryHeader, offset: number): Promise<{ data: Uint8Array; consumed: number }> {
  // Stored (incompressible) data grows by 5 bytes per 16 KiB block, plus the zlib header and trailer.
  let want = header.headerLength + Math.min(header.size + (header.size >> 12) + 64, 1 << 20);
  for (;;) {
    await win.fill(want);
    // Only the bytes this entry may need go to zlib: passing the whole read-ahead would copy it per entry.
    const input = win.view().subarray(header.headerLength, want);
    let data: Uint8Array;
    try {
      data = inflate(input);
    } catch (e) {
      if (!isTruncated(e)) throw new PackError(`entry at offset ${offset} is corrupt: ${(e as Error).message}`);
      if (win.eof && want >= win.available) throw new PackError(`pack is truncated inside the entry at offset ${offset}`);
      // Grow from what this entry asked for, not from the read-ahead, so the window stays near the entry's size.
      want *= 2;
      continue;
    }
    if (data.length !== header.size) throw new PackError(`entry at offset ${offset} inflates to ${data.length} bytes, not ${header.size}`);
    return { data, consumed: streamLength(input, data) };
  }
}

function isTruncated(e: unknown): boolean {
  return (e as { code?: string }).code === "Z_BUF_ERROR" || /unexpected end/.test((e as Error).message);
}

/**
 * The length of the zlib stream at the start of `input` that inflates to `data`: the stream ends with
 * the Adler-32 of `data`, and the first place those 4 bytes appear where a stream cut there still
 * inflates is its end (a stream cut short fails to inflate; trailing bytes are ignored).
 */
function streamLength(input: Uint8Array, data: Uint8Array): number {
  const sum = adler32(data);
  const b0 = sum >>> 24;
  const b1 = (sum >>> 16) & 0xff;
  const b2 = (sum >>> 8) & 0xff;
  const b3 = sum & 0xff;
  for (let p = 2; p + 4 <= input.length; p++) {
    if (input[p] !== b0 || input[p + 1] !== b1 || input[p + 2] !== b2 || input[p + 3] !== b3) continue;
    if (p + 4 === input.length) return p + 4;
    try {
      inflate(input.subarray(0, p + 4));
      return p + 4;
    } catch (e) {
      if (!isTruncated(e)) throw new PackError(`zlib stream is corrupt: ${(e as Error).message}`);
    }
  }
  throw new PackError("zlib stream has no trailer");
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // 5552 bytes is the most that can be summed before b may overflow 2^32 (zlib's NMAX).
    const stop = Math.min(data.length, i + 5552);
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function baseOidOf(header: EntryHeader, offset: number, entries: OffsetIndex): string | null {
  if (header.baseOid) return header.baseOid;
  const baseOffset = offset - header.baseDistance!;
  if (baseOffset < PACK_HEADER_SIZE) throw new PackError(`delta at offset ${offset} points before the pack start`);
  return entries.oidAt(baseOffset);
}

function recordDelta(record: RecordEntry, entry: number, offset: number, end: number, baseOid: string, base: GitObject, delta: Uint8Array): void {
  let data: Uint8Array;
  try {
    data = applyDelta(base.data, delta);
  } catch (e) {
    throw new PackError(`delta at offset ${offset} is corrupt: ${(e as Error).message}`);
  }
  record(entry, { oid: objectId(base.type, data), offset, end, type: base.type, size: data.length, baseOid }, { type: base.type, data });
}

/** Resolves deltas whose bases were not known when they streamed past, until none is left or none can be. */
async function resolveDeferred(pending: Deferred[], host: IndexerHost, entries: OffsetIndex, record: RecordEntry): Promise<void> {
  while (pending.length > 0) {
    const still: Deferred[] = [];
    for (const d of pending) {
      const baseOid = baseOidOf(d.header, d.offset, entries);
      const base = baseOid ? await host.readBase(baseOid) : null;
      if (!base || !baseOid) {
        still.push(d);
        continue;
      }
      const raw = await host.readRange(d.offset, d.end);
      recordDelta(record, d.entry, d.offset, d.end, baseOid, base, inflate(raw.subarray(d.header.headerLength)));
    }
    if (still.length === pending.length) {
      const d = still[0];
      throw new PackError(`missing delta base ${d.header.baseOid ?? `at offset ${d.offset - d.header.baseDistance!}`} for the entry at offset ${d.offset}`);
    }
    pending = still;
  }
}
