// The 12-byte pack header and 20-byte trailer (gitformat-pack.adoc, "pack-*.pack files have the following format").
import { PackError } from "../errors";
export const PACK_HEADER_SIZE = 12;
export const PACK_TRAILER_SIZE = 20;

/** Parses "PACK", version 2 or 3, object count. Throws on anything else. */
export function parsePackHeader(buf: Uint8Array): { version: number; count: number } {
  if (buf.length < PACK_HEADER_SIZE) throw new PackError("pack header is truncated");
  if (buf[0] !== 0x50 || buf[1] !== 0x41 || buf[2] !== 0x43 || buf[3] !== 0x4b) throw new PackError("not a pack: bad signature");
  const view = new DataView(buf.buffer, buf.byteOffset, PACK_HEADER_SIZE);
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) throw new PackError(`unsupported pack version ${version}`);
  return { version, count: view.getUint32(8) };
}

export function encodePackHeader(count: number): Uint8Array {
  const out = new Uint8Array(PACK_HEADER_SIZE);
  out.set([0x50, 0x41, 0x43, 0x4b]);
  const view = new DataView(out.buffer);
  view.setUint32(4, 2);
  view.setUint32(8, count);
  return out;
}
