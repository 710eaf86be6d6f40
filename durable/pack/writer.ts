// Streams a pack of the given objects (gitformat-pack.adoc). Stored entries are reused as they are:
// whole objects are copied byte for byte, and deltas whose base is also sent (or, in a thin pack, one
// the client has) are copied, as OFS_DELTA when the base is written already and the client reads them,
// else as REF_DELTA. Only a delta whose base the client will not have is inflated and sent whole.
// isomorphic-git's packObjects is not used: it builds the whole pack in memory.
import { StorageError } from "../errors";
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { concatBytes } from "../protocol/pktline";
import type { ObjectLocation, ObjectStore } from "../store/objects";
import { encodeEntryHeader, encodeOfsDistance, parseEntryHeader } from "./entry";
import { encodePackHeader, PACK_HEADER_SIZE } from "./header";
import type { IndexedEntry } from "./indexer";
import { hexToBytes } from "./hex";
import { OBJ_OFS_DELTA, OBJ_REF_DELTA } from "./types";
import { DeflateStream } from "./zlib-stream";
import { Scratch } from "../store/scratch";

const BATCH_BYTES = 64 * 1024;
/** Stored entries larger than this are copied in the store's pieces (PackCatalogue.pieces); a big object compressed again is read this much at a time. */
const RANGE_BYTES = 1 << 20;
/** Objects located at a time, then read in their stored order, where neighbours share the store's block reads. */
const READ_BATCH = 4096;
/** A pack that sends at least this share of the stored entries scans the object index instead of locating each object. */
const SCAN_SHARE = 0.25;

/** The objects a pack sends (walk/send-set.ts): how many, which, and which are written already. */
export interface PackObjects {
  readonly count: number;
  has(oid: string): boolean;
  /** Notes a sent object as written; false when it is not sent or is written already. `loc`: where a scan met it. */
  pack(oid: string, loc?: ObjectLocation): boolean;
  allPacked(): boolean;
  /** The sent objects' ids; `packed` false: only those not written yet. */
  oids(packed?: boolean): string[];
  /** Notes where an object was written, and tells it back (walk/send-set.ts); needed for ofsDelta. */
  wrote?(oid: string, offset: number): void;
  offsetOf?(oid: string): number | undefined;
}

export interface PackStats {
  reused: number;
  deltas: number;
  recompressed: number;
}

export interface WriteOptions {
  /** Whether a delta on this base may stay a delta: the reader has the base or gets it. Default: the base is sent. */
  hasBase?: (oid: string) => boolean;
  /** Told where each entry went, for a pack that is stored (housekeeping/repack.ts); awaited before the next. */
  onEntry?: (entry: IndexedEntry) => void | Promise<void>;
  /** Objects above this are streamed (BIG_OBJECT_BYTES); default: none is. */
  bigObjectBytes?: number;
  /** Whether deltas on a base written earlier are sent as OFS_DELTA (the client said ofs-delta). */
  ofsDelta?: boolean;
  /** The packs to scan for the objects, in this order, whatever their share of the store (walk/filtered-store.ts). */
  scan?: number[];
}

/** Yields the pack in pieces of about 64 KiB; `stats` is filled in as it goes. */
export async function* writePack(store: ObjectStore, sending: PackObjects, stats: PackStats, options: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  const hasBase = options.hasBase ?? ((oid: string) => sending.has(oid));
  const sha = createHash("sha1");
  let batch: Uint8Array[] = [encodePackHeader(sending.count)];
  let batchBytes = 12;
  const flush = () => {
    const out = concatBytes(batch);
    sha.update(out);
    batch = [];
    batchBytes = 0;
    return out;
  };
  const scan = options.scan ?? (sending.count >= SCAN_SHARE * store.storedEntries() ? undefined : null);
  const source = scan === null ? located(store, sending.oids()) : scanned(store, sending, scan);
  const scratch = new Scratch(store, `scratch/send-${crypto.randomUUID()}`, options.bigObjectBytes ?? Infinity);
  const offsets = options.ofsDelta && sending.wrote && sending.offsetOf ? sending : null;
  let position = PACK_HEADER_SIZE;
  try {
    for await (const loc of source) {
      const oid = loc.baseOid !== null && hasBase(loc.baseOid) ? loc.baseOid : null;
      const offset = position;
      const baseOffset = oid !== null ? offsets?.offsetOf!(oid) : undefined;
      const base = oid === null ? null : { oid, distance: baseOffset === undefined ? undefined : offset - baseOffset };
      offsets?.wrote!(loc.oid, offset);
      for await (const part of entryParts(store, loc, base, stats, scratch)) {
        batch.push(part);
        batchBytes += part.length;
        position += part.length;
        if (batchBytes >= BATCH_BYTES) yield flush();
      }
      await options.onEntry?.({ oid: loc.oid, offset, end: position, type: loc.type, size: loc.size, baseOid: oid });
    }
  } finally {
    await scratch.done();
  }
  yield flush();
  yield new Uint8Array(sha.digest());
}

/** The objects' locations, READ_BATCH located at a time and each batch read in stored order. */
async function* located(store: ObjectStore, oids: string[]): AsyncGenerator<ObjectLocation> {
  for (let i = 0; i < oids.length; i += READ_BATCH) {
    yield* await store.locateInStoredOrder(oids.slice(i, i + READ_BATCH));
  }
}

/**
 * The objects' locations from a scan of the object index (of `packIds`, or of every readable pack) in
 * stored order, for a pack that sends most of what is stored. Of several copies, the first met is the
 * oldest pack's, as locate chooses.
 */
function* scanned(store: ObjectStore, sending: PackObjects, packIds?: number[]): Generator<ObjectLocation> {
  for (const loc of store.inStoredOrder(packIds)) if (sending.pack(loc.oid, loc)) yield loc;
  if (sending.allPacked()) return;
  const missing = sending.oids(false)[0];
  throw new StorageError(`${missing ? `object ${missing}` : "an object"} vanished while packing`);
}

/** The base a delta entry is sent on: its id, and its distance back when it is sent as OFS_DELTA. */
interface DeltaBase {
  oid: string;
  distance?: number;
}

/** The header of a delta entry on `base` whose delta inflates to `size` bytes. */
function deltaHeader(size: number, base: DeltaBase): Uint8Array[] {
  if (base.distance !== undefined) return [encodeEntryHeader(OBJ_OFS_DELTA, size), encodeOfsDistance(base.distance)];
  return [encodeEntryHeader(OBJ_REF_DELTA, size), hexToBytes(base.oid)];
}

/**
 * The entry of `loc`, in parts: stored bytes as they are, a delta on `base`, or (no base)
 * the whole object compressed again. A large stored entry is copied piece by piece, and a big object that
 * must be compressed again is materialized in a scratch file first (store/scratch.ts), so neither is
 * ever whole in memory.
 */
async function* entryParts(store: ObjectStore, loc: ObjectLocation, base: DeltaBase | null, stats: PackStats, scratch: Scratch): AsyncGenerator<Uint8Array> {
  const copied = loc.baseOid === null || base !== null;
  if (copied && loc.end - loc.offset > RANGE_BYTES) {
    const head = await store.packs.read(loc.packId, loc.offset, Math.min(loc.end, loc.offset + 32));
    const header = parseEntryHeader(head, 0)!;
    if (base === null) {
      stats.reused++;
      yield head.subarray(0, header.headerLength);
    } else {
      stats.deltas++;
      yield* deltaHeader(header.size, base);
    }
    yield* store.packs.pieces(loc.packId, loc.offset + header.headerLength, loc.end);
    return;
  }
  if (!copied && loc.size > scratch.bigBytes) {
    stats.recompressed++;
    const big = await scratch.materialize(loc);
    yield encodeEntryHeader(big.type, loc.size);
    const deflate = new DeflateStream();
    for (let at = 0; at < loc.size; at += RANGE_BYTES) {
      const pieces: Uint8Array[] = [];
      deflate.write(big.reader.read(at, Math.min(loc.size, at + RANGE_BYTES)), (piece) => pieces.push(piece.slice()));
      yield* pieces;
    }
    const last: Uint8Array[] = [];
    deflate.finish((piece) => last.push(piece.slice()));
    yield* last;
    return;
  }
  yield* await entryFor(store, loc, base, stats);
}

/** The entry of `loc`: stored bytes as they are, a delta on `base`, or (no base) the whole object. */
async function entryFor(store: ObjectStore, loc: ObjectLocation, base: DeltaBase | null, stats: PackStats): Promise<Uint8Array[]> {
  if (loc.baseOid === null || base !== null) {
    const entry = await store.readEntry(loc);
    if (base === null) {
      stats.reused++;
      return [entry];
    }
    const header = parseEntryHeader(entry, 0)!;
    stats.deltas++;
    return [...deltaHeader(header.size, base), entry.subarray(header.headerLength)];
  }
  const object = await store.readAt(loc);
  stats.recompressed++;
  return [encodeEntryHeader(object.type, object.data.length), deflateSync(object.data, { level: 1 })];
}
