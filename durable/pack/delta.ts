// Applies a git delta to its base (gitformat-pack.adoc, "Deltified representation": copy and insert instructions).
import { PackError } from "../errors";

function readVarint(delta: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    if (pos >= delta.length) throw new PackError("delta header is truncated");
    byte = delta[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

/** The size of the object a delta produces, read from its header. */
export function deltaResultSize(delta: Uint8Array): number {
  const [, p] = readVarint(delta, 0);
  return readVarint(delta, p)[0];
}

/**
 * The object `delta` makes from `base`, written into the front of the array `allocate` returns for
 * its size (at least that long; a new array by default).
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array, allocate: (size: number) => Uint8Array = (size) => new Uint8Array(size)): Uint8Array {
  let [baseSize, pos] = readVarint(delta, 0);
  if (baseSize !== base.length) throw new PackError(`delta base size ${baseSize} does not match base of ${base.length} bytes`);
  let resultSize: number;
  [resultSize, pos] = readVarint(delta, pos);
  const out = allocate(resultSize).subarray(0, resultSize);
  // Base and result in one buffer (the indexer's ring): copies move within it, with no view per copy.
  const shared = base.buffer === out.buffer ? new Uint8Array(out.buffer) : null;
  let outPos = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[pos++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[pos++] << (8 * i);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || outPos + size > resultSize) throw new PackError("delta copy is out of bounds");
      if (shared && size > 64) shared.copyWithin(out.byteOffset + outPos, base.byteOffset + offset, base.byteOffset + offset + size);
      else copy(base, offset, size, out, outPos);
      outPos += size;
    } else if (op) {
      if (pos + op > delta.length || outPos + op > resultSize) throw new PackError("delta insert is out of bounds");
      copy(delta, pos, op, out, outPos);
      pos += op;
      outPos += op;
    } else {
      throw new PackError("delta has a reserved zero opcode");
    }
  }
  if (outPos !== resultSize) throw new PackError(`delta produced ${outPos} bytes, expected ${resultSize}`);
  return out;
}

/**
 * Copies `size` bytes. Short runs, most of a delta's, go byte by byte: a subarray per instruction
 * is a heap object each, gigabytes of them over a large push.
 */
function copy(from: Uint8Array, at: number, size: number, to: Uint8Array, toAt: number): void {
  if (size > 64) {
    to.set(from.subarray(at, at + size), toAt);
    return;
  }
  for (let i = 0; i < size; i++) to[toAt + i] = from[at + i];
}
