// Streaming pack indexer (gitformat-pack.adoc): reads a pack from a stream, hands every byte to the host
// to store verbatim, and records each object's id, type, size and place. Memory stays bounded: each
// entry is inflated on its own, delta bases come from the host (a bounded cache, then storage), and
// deltas whose base comes later in the pack are resolved afterwards from the stored bytes.
// isomorphic-git's indexPack is not used: it needs the whole pack in memory.
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { ByteWindow } from "./byte-window";
import { applyDelta } from "./delta";
import { parseEntryHeader, type EntryHeader } from "./entry";
import { PACK_HEADER_SIZE, PACK_TRAILER_SIZE, parsePackHeader } from "./header";
import { bytesToHex } from "./hex";
import { objectId } from "./object-id";
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
  /** The id of the entry recorded at `offset` in this pack. */
  oidAt(offset: number): string | null;
  /** A delta base: an object recorded in this pack or one already in the store. */
  readBase(oid: string): Promise<GitObject | null>;
  /** Bytes of this pack already written. */
  readRange(start: number, end: number): Promise<Uint8Array>;
}

export interface IndexResult {
  count: number;
  bytes: number;
  checksum: string;
}

export class PackError extends Error {}

interface Deferred {
  offset: number;
  end: number;
  header: EntryHeader;
}

/** Largest object kept whole in memory; git's own default for big files is 512 MiB, the isolate has 128 MB. */
const MAX_OBJECT_BYTES = 48 * 1024 * 1024;

export async function indexPack(stream: ReadableStream<Uint8Array>, host: IndexerHost, maxBytes: number): Promise<IndexResult> {
  const reader = stream.getReader();
  try {
    return await indexFrom(new ByteWindow(reader, (chunk) => host.write(chunk), maxBytes), host);
  } finally {
    reader.releaseLock();
  }
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
  const deferred: Deferred[] = [];

  for (let i = 0; i < count; i++) {
    const offset = win.offset;
    await win.fill(32);
    const header = parseEntryHeaderOrFail(win.view());
    if (header.size > MAX_OBJECT_BYTES) throw new PackError(`object at offset ${offset} is ${header.size} bytes, over the ${MAX_OBJECT_BYTES}-byte limit`);
    const { data, consumed } = await inflateEntry(win, header, offset);
    sha.update(win.consume(header.headerLength + consumed));
    const end = win.offset;
    if (header.type === OBJ_OFS_DELTA || header.type === OBJ_REF_DELTA) {
      const baseOid = baseOidOf(header, offset, host);
      const base = baseOid ? await host.readBase(baseOid) : null;
      if (base && baseOid) recordDelta(host, offset, end, baseOid, base, data);
      else deferred.push({ offset, end, header });
    } else {
      host.record({ oid: objectId(header.type, data), offset, end, type: header.type, size: data.length, baseOid: null }, { type: header.type, data });
    }
  }

  await win.fill(PACK_TRAILER_SIZE + 1);
  if (win.available < PACK_TRAILER_SIZE) throw new PackError("pack is truncated: no trailer");
  if (win.available > PACK_TRAILER_SIZE) throw new PackError("pack has trailing garbage");
  const checksum = bytesToHex(win.consume(PACK_TRAILER_SIZE));
  if (checksum !== sha.digest("hex")) throw new PackError("pack checksum mismatch");
  await resolveDeferred(deferred, host);
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

/** Inflates the entry at the window's front, reading ahead until its whole zlib stream is there. */
async function inflateEntry(win: ByteWindow, header: EntryHeader, offset: number): Promise<{ data: Uint8Array; consumed: number }> {
  let want = header.headerLength + Math.min(header.size + 64, 1 << 20);
  for (;;) {
    await win.fill(want);
    try {
      // Only the bytes this entry may need go to zlib: passing the whole read-ahead would copy it per entry.
      const { buffer, engine } = inflateSync(win.view().subarray(header.headerLength, want), { info: true }) as unknown as {
        buffer: Uint8Array;
        engine: { bytesWritten: number };
      };
      if (buffer.length !== header.size) throw new PackError(`entry at offset ${offset} inflates to ${buffer.length} bytes, not ${header.size}`);
      return { data: buffer, consumed: engine.bytesWritten };
    } catch (e) {
      if (e instanceof PackError) throw e;
      const truncated = (e as { code?: string }).code === "Z_BUF_ERROR";
      if (!truncated) throw new PackError(`entry at offset ${offset} is corrupt: ${(e as Error).message}`);
      // Truncated only when zlib was already given every byte there is.
      if (win.eof && want >= win.available) throw new PackError(`pack is truncated inside the entry at offset ${offset}`);
      want = Math.max(want, win.available) * 2;
    }
  }
}

function baseOidOf(header: EntryHeader, offset: number, host: IndexerHost): string | null {
  if (header.baseOid) return header.baseOid;
  const baseOffset = offset - header.baseDistance!;
  if (baseOffset < PACK_HEADER_SIZE) throw new PackError(`delta at offset ${offset} points before the pack start`);
  return host.oidAt(baseOffset);
}

function recordDelta(host: IndexerHost, offset: number, end: number, baseOid: string, base: GitObject, delta: Uint8Array): void {
  let data: Uint8Array;
  try {
    data = applyDelta(base.data, delta);
  } catch (e) {
    throw new PackError(`delta at offset ${offset} is corrupt: ${(e as Error).message}`);
  }
  host.record({ oid: objectId(base.type, data), offset, end, type: base.type, size: data.length, baseOid }, { type: base.type, data });
}

/** Resolves deltas whose bases were not known when they streamed past, until none is left or none can be. */
async function resolveDeferred(pending: Deferred[], host: IndexerHost): Promise<void> {
  while (pending.length > 0) {
    const still: Deferred[] = [];
    for (const d of pending) {
      const baseOid = baseOidOf(d.header, d.offset, host);
      const base = baseOid ? await host.readBase(baseOid) : null;
      if (!base || !baseOid) {
        still.push(d);
        continue;
      }
      const raw = await host.readRange(d.offset, d.end);
      recordDelta(host, d.offset, d.end, baseOid, base, inflateSync(raw.subarray(d.header.headerLength)));
    }
    if (still.length === pending.length) {
      const d = still[0];
      throw new PackError(`missing delta base ${d.header.baseOid ?? `at offset ${d.offset - d.header.baseDistance!}`} for the entry at offset ${d.offset}`);
    }
    pending = still;
  }
}
