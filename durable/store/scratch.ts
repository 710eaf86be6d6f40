// Scratch files for objects over BIG_OBJECT_BYTES: a big object's content written to DOFS once, then
// read by ranges as a delta base (pack/delta-stream.ts) or to be compressed again. One Scratch per
// operation (a push's indexing, a pack being written), under its own folder; done() discards them
// all, and DOFS deletes their chunks giving way as it goes. A stored big object is materialized by
// streaming its entry from its pack, after its base when it is a delta.
import { BigResult, inflateStreamed, piecesIn, type ScratchSink } from "../pack/big-entries";
import type { BigObject } from "../pack/indexer";
import { DeltaStream, memoryReader, type RangeReader } from "../pack/delta-stream";
import { parseEntryHeader } from "../pack/entry";
import { OBJ_OFS_DELTA, OBJ_REF_DELTA } from "../pack/types";
import { StorageError } from "../errors";
import { CHUNK_SIZE, type Dofs } from "./dofs";
import type { ObjectLocation, ObjectStore } from "./objects";

/** The longest entry header: a type and size varint of up to 10 bytes, and a REF_DELTA's 20-byte base. */
const ENTRY_HEADER_MAX = 32;

export class Scratch {
  private readonly stored = new Map<string, BigObject>();
  /** Whether a file was made: most operations meet no big object, and done() then costs nothing. */
  private used = false;

  private readonly dofs: Dofs;

  constructor(
    private readonly store: ObjectStore,
    private readonly dir: string,
    /** Objects above this are materialized; smaller bases are read whole. */
    readonly bigBytes: number,
  ) {
    this.dofs = store.packs.dofs;
  }

  /** A new scratch file. */
  file(name: string): ScratchSink {
    this.used = true;
    const path = `${this.dir}/${name}`;
    const writer = this.dofs.create(path);
    return {
      write: (bytes) => writer.write(bytes),
      close: () => {
        writer.close();
        return fileReader(this.dofs, path);
      },
    };
  }

  /** A stored object over bigBytes, materialized (once) in a scratch file; null when it is smaller or not stored. */
  async storedBig(oid: string, ownPack?: number): Promise<BigObject | null> {
    const kept = this.stored.get(oid);
    if (kept) return kept;
    const loc = this.store.locate(oid, ownPack);
    if (!loc || loc.size <= this.bigBytes) return null;
    return this.materialize(loc, ownPack);
  }

  /** The content of the stored object at `loc`, in a scratch file. */
  async materialize(loc: ObjectLocation, ownPack?: number): Promise<BigObject> {
    const kept = this.stored.get(loc.oid);
    if (kept) return kept;
    const head = await this.store.packs.read(loc.packId, loc.offset, Math.min(loc.end, loc.offset + ENTRY_HEADER_MAX));
    const header = parseEntryHeader(head, 0);
    if (!header) throw new StorageError(`object ${loc.oid} has a truncated entry in pack ${loc.packId}`);
    const input = piecesIn(this.store.packs.pieces(loc.packId, loc.offset + header.headerLength, loc.end));
    const result = new BigResult(this.file(`s${loc.oid}`), loc.type);
    if (header.type === OBJ_OFS_DELTA || header.type === OBJ_REF_DELTA) {
      const base = await this.base(loc, ownPack);
      const stream = new DeltaStream(base, (piece) => result.add(piece, stream.size));
      await inflateStreamed(input, header.size, loc.offset, (piece) => stream.feed(piece));
      stream.finish();
      result.finish(stream.size);
    } else {
      await inflateStreamed(input, header.size, loc.offset, (piece) => result.add(piece, header.size));
      result.finish(header.size);
    }
    const made = { type: loc.type, reader: fileReader(this.dofs, `${this.dir}/s${loc.oid}`) };
    this.stored.set(loc.oid, made);
    return made;
  }

  /** Discards every scratch file of this operation. */
  async done(): Promise<void> {
    if (!this.used) return;
    for (const path of this.dofs.list(`${this.dir}/`)) this.dofs.discard(path);
    await this.dofs.emptyTrash();
  }

  private async base(loc: ObjectLocation, ownPack?: number): Promise<RangeReader> {
    const baseLoc = this.store.locate(loc.baseOid!, ownPack);
    if (!baseLoc) throw new StorageError(`object ${loc.oid} is a delta on missing ${loc.baseOid}`);
    if (baseLoc.size > this.bigBytes) return (await this.materialize(baseLoc, ownPack)).reader;
    return memoryReader((await this.store.readAt(baseLoc, ownPack)).data);
  }
}

/** A scratch file by ranges, the chunk last read kept: deltas copy from nearby places one after another. */
function fileReader(dofs: Dofs, path: string): RangeReader {
  const file = dofs.stat(path);
  if (!file) throw new StorageError(`scratch file ${path} is missing`);
  let at = -1;
  let chunk: Uint8Array = new Uint8Array(0);
  return {
    size: file.size,
    read: (start, end) => {
      const first = Math.floor(start / CHUNK_SIZE);
      if (Math.floor((end - 1) / CHUNK_SIZE) !== first || end <= start) return dofs.read(file, start, end);
      if (at !== first) {
        chunk = dofs.read(file, first * CHUNK_SIZE, Math.min(file.size, (first + 1) * CHUNK_SIZE));
        at = first;
      }
      return chunk.subarray(start - first * CHUNK_SIZE, end - first * CHUNK_SIZE);
    },
  };
}
