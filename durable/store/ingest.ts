// Ingests a pack stream: stores it verbatim as an incoming pack while the indexer fills the object
// index. On any failure the incoming pack, its chunks and its index rows are dropped.
import type { ChunkSource } from "../protocol/chunk-source";
import { indexPack, type IndexedEntry, type IndexerHost } from "../pack/indexer";
import type { PackClosure } from "../walk/pack-closure";
import type { ObjectStore } from "./objects";
import type { PackCatalogue } from "./packs";

/**
 * Index rows per INSERT. The rows go in as one JSON parameter (the platform binds at most 100), sorted
 * by id: ids are random, and inserting a batch in key order dirties each B-tree page once.
 */
const ROWS_PER_INSERT = 10_000;
const INSERT_ROWS =
  "INSERT OR IGNORE INTO objects (oid, pack_id, offset, end, type, size, base_oid) " +
  "SELECT value ->> 0, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)";

/** Returns the id of the new pack, sealed and still incoming; throws what the indexer threw. `closure` sees every object. */
export async function ingestPack(sql: SqlStorage, packs: PackCatalogue, store: ObjectStore, source: ChunkSource, maxBytes: number, closure?: PackClosure): Promise<number> {
  const { id, writer } = packs.beginIncoming();
  let rows: IndexedEntry[] = [];
  const flush = () => {
    if (rows.length === 0) return;
    rows.sort((a, b) => (a.oid < b.oid ? -1 : 1));
    sql.exec(INSERT_ROWS, id, JSON.stringify(rows.map((e) => [e.oid, e.offset, e.end, e.type, e.size, e.baseOid])));
    rows = [];
  };
  const host: IndexerHost = {
    write: (bytes) => writer.write(bytes),
    record: (e, object) => {
      rows.push(e);
      if (rows.length === ROWS_PER_INSERT) flush();
      store.remember(e.oid, object);
      closure?.add(e.oid, object);
    },
    // A base missing from the cache is looked up in the index, so the rows not yet inserted go first.
    readBase: async (oid) => {
      const cached = store.cached(oid);
      if (cached) return cached;
      flush();
      return store.read(oid, id);
    },
    readRange: (start, end) => packs.read(id, start, end),
  };
  try {
    const result = await indexPack(source, host, maxBytes);
    flush();
    packs.seal(id, result.count, result.checksum);
    return id;
  } catch (e) {
    packs.drop(id);
    store.forget();
    throw e;
  }
}
