// Pack reuse at its widest: the live packs, concatenated verbatim under one header with a new count
// and trailer (gitformat-pack.adoc). Entries are position-independent but for OFS_DELTA offsets, which
// stay valid because each pack's entries stay together; a REF_DELTA finds its base wherever it sits.
// Only for packs that hold exactly the objects wanted, each once (store/whole-reuse.ts).
import { createHash } from "node:crypto";
import type { PackCatalogue, PackInfo } from "../store/packs";
import { encodePackHeader, PACK_HEADER_SIZE, PACK_TRAILER_SIZE } from "./header";

/** Yields the combined pack in pieces of at most one stored chunk, reading one piece at a time. */
export async function* concatPacks(catalogue: PackCatalogue, packs: PackInfo[]): AsyncGenerator<Uint8Array> {
  const sha = createHash("sha1");
  const header = encodePackHeader(packs.reduce((n, p) => n + p.objects, 0));
  sha.update(header);
  yield header;
  for (const pack of packs) {
    const end = pack.bytes - PACK_TRAILER_SIZE;
    const size = catalogue.pieceSize(pack.id);
    for (let start = PACK_HEADER_SIZE; start < end; ) {
      // Cut at chunk boundaries, so each read is whole rows of the chunk table.
      const stop = Math.min(end, (Math.floor(start / size) + 1) * size);
      const piece = await catalogue.read(pack.id, start, stop);
      sha.update(piece);
      yield piece;
      start = stop;
    }
  }
  yield new Uint8Array(sha.digest());
}
