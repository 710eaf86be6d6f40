// Pack reuse at its widest: the live packs, concatenated verbatim under one header with a new count
// and trailer (gitformat-pack.adoc). Entries are position-independent but for OFS_DELTA offsets, which
// stay valid because each pack's entries stay together; a REF_DELTA finds its base wherever it sits.
// Only for packs that hold exactly the objects wanted, each once (store/whole-reuse.ts).
import { createHash } from "node:crypto";
import type { PackCatalogue, PackInfo } from "../store/packs";
import { encodePackHeader, PACK_HEADER_SIZE, PACK_TRAILER_SIZE } from "./header";

/** Yields the combined pack in the stored pieces (PackCatalogue.pieces), reading one at a time. */
export async function* concatPacks(catalogue: PackCatalogue, packs: PackInfo[]): AsyncGenerator<Uint8Array> {
  const sha = createHash("sha1");
  const header = encodePackHeader(packs.reduce((n, p) => n + p.objects, 0));
  sha.update(header);
  yield header;
  for (const pack of packs) {
    for await (const piece of catalogue.pieces(pack.id, PACK_HEADER_SIZE, pack.bytes - PACK_TRAILER_SIZE)) {
      sha.update(piece);
      yield piece;
    }
  }
  yield new Uint8Array(sha.digest());
}
