// Streams a pack of the given objects (gitformat-pack.adoc). Stored entries are reused as they are:
// whole objects are copied byte for byte, and deltas whose base is also sent are copied as REF_DELTA.
// Only a delta whose base the client will not have is inflated and sent whole.
// isomorphic-git's packObjects is not used: it builds the whole pack in memory.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { concatBytes } from "../protocol/pktline";
import type { ObjectLocation, ObjectStore } from "../store/objects";
import { encodeEntryHeader, parseEntryHeader } from "./entry";
import { encodePackHeader } from "./header";
import { hexToBytes } from "./hex";
import { OBJ_REF_DELTA } from "./types";

const BATCH_BYTES = 64 * 1024;
/**
 * Objects located at a time, then read in their stored order: a walk lists them in history order,
 * scattered through the packs, and in stored order neighbours share the store's block reads.
 */
const READ_BATCH = 4096;

export interface PackStats {
  reused: number;
  deltas: number;
  recompressed: number;
}

/** Yields the pack in pieces of about 64 KiB; `stats` is filled in as it goes. */
export async function* writePack(store: ObjectStore, oids: string[], sending: Set<string>, stats: PackStats): AsyncGenerator<Uint8Array> {
  const sha = createHash("sha1");
  let batch: Uint8Array[] = [encodePackHeader(oids.length)];
  let batchBytes = 12;
  const flush = () => {
    const out = concatBytes(batch);
    sha.update(out);
    batch = [];
    batchBytes = 0;
    return out;
  };
  for (let i = 0; i < oids.length; i += READ_BATCH) {
    const group = oids.slice(i, i + READ_BATCH);
    const locations = store.locateMany(group);
    const missing = group.find((oid) => !locations.has(oid));
    if (missing) throw new Error(`object ${missing} vanished while packing`);
    const stored = [...locations.values()].sort((a, b) => a.packId - b.packId || a.offset - b.offset);
    for (const loc of stored) {
      for (const part of await entryFor(store, loc, sending, stats)) {
        batch.push(part);
        batchBytes += part.length;
      }
      if (batchBytes >= BATCH_BYTES) yield flush();
    }
  }
  yield flush();
  yield new Uint8Array(sha.digest());
}

async function entryFor(store: ObjectStore, loc: ObjectLocation, sending: Set<string>, stats: PackStats): Promise<Uint8Array[]> {
  if (loc.baseOid === null || sending.has(loc.baseOid)) {
    const entry = await store.readEntry(loc);
    if (loc.baseOid === null) {
      stats.reused++;
      return [entry];
    }
    const header = parseEntryHeader(entry, 0)!;
    stats.deltas++;
    return [encodeEntryHeader(OBJ_REF_DELTA, header.size), hexToBytes(loc.baseOid), entry.subarray(header.headerLength)];
  }
  const object = await store.readAt(loc);
  stats.recompressed++;
  return [encodeEntryHeader(object.type, object.data.length), deflateSync(object.data, { level: 1 })];
}
