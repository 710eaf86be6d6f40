// Ingests a pack stream: stores it verbatim as an incoming pack while the indexer fills the object
// index. On any failure the incoming pack, its chunks and its index rows are dropped.
import type { ChunkSource } from "../protocol/chunk-source";
import { indexPack, type IndexerHost, type PackLimits } from "../pack/indexer";
import { Scratch } from "./scratch";
import type { ObjectChecks } from "../walk/object-checks";
import type { PackClosure } from "../walk/pack-closure";
import type { ObjectStore } from "./objects";
import type { PackCatalogue } from "./packs";
import { INDEX_ENTRIES, INSERTS_PER_TURN, Pacer } from "../pacing";
import { StagedRows } from "./staged-rows";

/**
 * Index rows are inserted in batches, sorted by id: ids are random, and each commit of the Durable
 * Object's storage writes every B-tree page the batch touched, so few large batches cost far less than
 * many small ones. Until then the store finds them in memory (ObjectStore.stage).
 */
export const ROWS_PER_BATCH = 20_000;

/** What a pack held, for a push's progress lines. */
export interface IngestCounts {
  objects: number;
  deltas: number;
}

/**
 * Returns the id of the new pack, sealed and still incoming; throws what the indexer threw. `closure` and
 * `checks` see every object; `counts` is filled in as entries are indexed.
 */
export async function ingestPack(
  packs: PackCatalogue,
  store: ObjectStore,
  source: ChunkSource,
  limits: PackLimits,
  closure?: PackClosure,
  checks?: ObjectChecks,
  counts?: IngestCounts,
): Promise<number> {
  const { id, writer } = packs.beginIncoming();
  const scratch = new Scratch(store, `scratch/${id}`, limits.bigObjectBytes);
  // Sized from the pack's header once it is read (begin), so a small push reserves little.
  let staged = new StagedRows(id, 1);
  const entries = new Pacer(INDEX_ENTRIES);
  const inserts = new Pacer(INSERTS_PER_TURN);
  const host: IndexerHost = {
    write: (bytes) => writer.write(bytes),
    record: (e, object) => {
      staged.add(e);
      if (counts) {
        counts.objects++;
        if (e.baseOid !== null) counts.deltas++;
      }
      closure?.add(e.oid, object);
      checks?.add(e.oid, object);
    },
    pace: async () => {
      if (staged.full) await store.insertStaged(staged, inserts);
      await entries.step();
    },
    readStored: async (oid) => {
      const loc = store.locate(oid, id);
      return loc && { bytes: await store.readEntry(loc), baseOid: loc.baseOid };
    },
    readRange: (start, end) => packs.read(id, start, end),
    pieces: (start, end) => packs.pieces(id, start, end),
    scratch: (name) => scratch.file(name),
    storedBig: (oid) => scratch.storedBig(oid, id),
    begin: (count) => {
      staged = new StagedRows(id, Math.max(1, Math.min(count, ROWS_PER_BATCH)));
      store.stage(id, staged);
      closure?.reserve(count);
    },
  };
  try {
    const result = await indexPack(source, host, limits);
    await store.insertStaged(staged, inserts);
    packs.seal(id, result.count, result.checksum);
    for (const o of result.oversized) checks?.tooLarge(o);
    return id;
  } catch (e) {
    await store.dropPack(id);
    throw e;
  } finally {
    store.stage(id, null);
    await scratch.done();
  }
}
