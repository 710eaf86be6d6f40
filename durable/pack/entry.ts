// Pack entry headers: type and size varint, OFS_DELTA negative offset, REF_DELTA base oid
// (gitformat-pack.adoc, "Object entries" and "Deltified representation").
import { PackError } from "../errors";
import { OBJ_OFS_DELTA, OBJ_REF_DELTA } from "./types";
import { bytesToHex } from "./hex";

export interface EntryHeader {
  type: number;
  /** Inflated size of the entry's data (the delta's size for delta entries). */
  size: number;
  /** Bytes from the entry start to its compressed data. */
  headerLength: number;
  /** OFS_DELTA: distance back from this entry's offset to its base. */
  baseDistance?: number;
  /** REF_DELTA: the base object id. */
  baseOid?: string;
}

/** Parses the entry header at `pos`, or returns null when `buf` ends before it does. */
export function parseEntryHeader(buf: Uint8Array, pos: number): EntryHeader | null {
  let p = pos;
  if (p >= buf.length) return null;
  let byte = buf[p++];
  const type = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let shift = 4;
  while (byte & 0x80) {
    if (p >= buf.length) return null;
    byte = buf[p++];
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (shift > 53) throw new PackError("pack entry size overflows");
  }
  if (type === 0 || type === 5) throw new PackError(`invalid pack entry type ${type}`);
  const header: EntryHeader = { type, size, headerLength: 0 };
  if (type === OBJ_OFS_DELTA) {
    if (p >= buf.length) return null;
    byte = buf[p++];
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      if (p >= buf.length) return null;
      byte = buf[p++];
      distance = (distance + 1) * 128 + (byte & 0x7f);
      if (distance > Number.MAX_SAFE_INTEGER / 256) throw new PackError("pack delta offset overflows");
    }
    header.baseDistance = distance;
  } else if (type === OBJ_REF_DELTA) {
    if (p + 20 > buf.length) return null;
    header.baseOid = bytesToHex(buf.subarray(p, p + 20));
    p += 20;
  }
  header.headerLength = p - pos;
  return header;
}

/** Encodes the type-and-size part of an entry header. */
export function encodeEntryHeader(type: number, size: number): Uint8Array {
  const out: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  out.push(byte);
  return Uint8Array.from(out);
}

/** Encodes an OFS_DELTA distance (the inverse of the loop in parseEntryHeader). */
export function encodeOfsDistance(distance: number): Uint8Array {
  const out = [distance & 0x7f];
  let n = Math.floor(distance / 128);
  while (n > 0) {
    n -= 1;
    out.unshift(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  return Uint8Array.from(out);
}
