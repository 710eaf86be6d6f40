// Ingests a pack stream: stores it verbatim as an incoming pack while the indexer fills the object
// index. On any failure the incoming pack, its chunks and its index rows are dropped.
import { indexPack, type IndexerHost } from "../pack/indexer";
import type { ObjectStore } from "./objects";
import type { PackCatalogue } from "./packs";

/** Returns the id of the new pack, sealed and still incoming; throws what the indexer threw. */
export async function ingestPack(sql: SqlStorage, packs: PackCatalogue, store: ObjectStore, stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<number> {
  const { id, writer } = packs.beginIncoming();
  const host: IndexerHost = {
    write: (bytes) => writer.write(bytes),
    record: (e, object) => {
      sql.exec(
        "INSERT OR IGNORE INTO objects (oid, pack_id, offset, end, type, size, base_oid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.oid, id, e.offset, e.end, e.type, e.size, e.baseOid,
      );
      store.remember(e.oid, object);
    },
    oidAt: (offset) => sql.exec<{ oid: string }>("SELECT oid FROM objects WHERE pack_id = ? AND offset = ?", id, offset).toArray()[0]?.oid ?? null,
    readBase: (oid) => store.read(oid, id),
    readRange: (start, end) => packs.read(id, start, end),
  };
  try {
    const result = await indexPack(stream, host, maxBytes);
    packs.seal(id, result.count, result.checksum);
    return id;
  } catch (e) {
    packs.drop(id);
    store.forget();
    throw e;
  }
}
