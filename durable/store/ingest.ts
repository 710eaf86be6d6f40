// Ingests a pack stream: stores it verbatim as an incoming pack while the indexer fills the object
// index. On any failure the incoming pack, its chunks and its index rows are dropped.
import type { ChunkSource } from "../protocol/chunk-source";
import { indexPack, type IndexerHost } from "../pack/indexer";
import type { PackClosure } from "../walk/pack-closure";
import type { ObjectLocation, ObjectStore } from "./objects";
import type { PackCatalogue } from "./packs";

/**
 * Index rows are inserted in batches, sorted by id: ids are random, and each commit of the Durable
 * Object's storage writes every B-tree page the batch touched, so few large batches cost far less than
 * many small ones. Until then the store finds them in memory (ObjectStore.stage).
 */
const ROWS_PER_BATCH = 20_000;
/** The rows go in as one JSON parameter (the platform binds at most 100), kept well under SQLite's length limit. */
const ROWS_PER_INSERT = 4_000;
const INSERT_ROWS =
  "INSERT OR IGNORE INTO objects (oid, pack_id, offset, end, type, size, base_oid) " +
  "SELECT value ->> 0, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)";

/** Returns the id of the new pack, sealed and still incoming; throws what the indexer threw. `closure` sees every object. */
export async function ingestPack(sql: SqlStorage, packs: PackCatalogue, store: ObjectStore, source: ChunkSource, maxBytes: number, closure?: PackClosure): Promise<number> {
  const { id, writer } = packs.beginIncoming();
  const staged = new Map<string, ObjectLocation>();
  store.stage(id, staged);
  const flush = () => {
    const rows = [...staged.values()].sort((a, b) => (a.oid < b.oid ? -1 : 1));
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const values = rows.slice(i, i + ROWS_PER_INSERT).map((e) => [e.oid, e.offset, e.end, e.type, e.size, e.baseOid]);
      sql.exec(INSERT_ROWS, id, JSON.stringify(values));
    }
    staged.clear();
  };
  const host: IndexerHost = {
    write: (bytes) => writer.write(bytes),
    record: (e, object) => {
      // The first copy of an object the pack holds twice stays, as INSERT OR IGNORE keeps it.
      if (!staged.has(e.oid)) staged.set(e.oid, { ...e, packId: id });
      if (staged.size === ROWS_PER_BATCH) flush();
      store.remember(e.oid, object);
      closure?.add(e.oid, object);
    },
    readBase: (oid) => store.read(oid, id),
    readRange: (start, end) => packs.read(id, start, end),
    begin: (count) => closure?.reserve(count),
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
  } finally {
    store.stage(id, null);
  }
}
