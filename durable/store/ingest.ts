// Ingests a pack stream: stores it verbatim as an incoming pack while the indexer fills the object
// index. On any failure the incoming pack, its chunks and its index rows are dropped.
import { indexPack, type IndexedEntry, type IndexerHost } from "../pack/indexer";
import type { ObjectStore } from "./objects";
import type { PackCatalogue } from "./packs";

/** Index rows per INSERT: 14 rows of 7 values stay under the platform's 100 bound parameters. */
const ROWS_PER_INSERT = 14;
const COLUMNS = 7;

/** Returns the id of the new pack, sealed and still incoming; throws what the indexer threw. */
export async function ingestPack(sql: SqlStorage, packs: PackCatalogue, store: ObjectStore, stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<number> {
  const { id, writer } = packs.beginIncoming();
  let rows: IndexedEntry[] = [];
  const flush = () => {
    if (rows.length === 0) return;
    const values: (string | number | null)[] = [];
    for (const e of rows) values.push(e.oid, id, e.offset, e.end, e.type, e.size, e.baseOid);
    sql.exec(rows.length === ROWS_PER_INSERT ? FULL_INSERT : insertSql(rows.length), ...values);
    rows = [];
  };
  const host: IndexerHost = {
    write: (bytes) => writer.write(bytes),
    record: (e, object) => {
      rows.push(e);
      if (rows.length === ROWS_PER_INSERT) flush();
      store.remember(e.oid, object);
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
    const result = await indexPack(stream, host, maxBytes);
    flush();
    packs.seal(id, result.count, result.checksum);
    return id;
  } catch (e) {
    packs.drop(id);
    store.forget();
    throw e;
  }
}

function insertSql(rows: number): string {
  const row = `(${Array(COLUMNS).fill("?").join(", ")})`;
  return `INSERT OR IGNORE INTO objects (oid, pack_id, offset, end, type, size, base_oid) VALUES ${Array(rows).fill(row).join(", ")}`;
}

const FULL_INSERT = insertSql(ROWS_PER_INSERT);
