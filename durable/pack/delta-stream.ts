// Applies a git delta (gitformat-pack.adoc, "Deltified representation") given piece by piece, for
// objects too big to hold whole: the base is read by ranges (from memory, or from a scratch file) and
// the result leaves in pieces. delta.ts applies small deltas in one go, which is faster.
import { PackError } from "../errors";

/** An object's bytes by range: `read` returns a view valid until the next call. */
export interface RangeReader {
  readonly size: number;
  read(start: number, end: number): Uint8Array;
}

/** A reader over bytes in memory. */
export function memoryReader(bytes: Uint8Array): RangeReader {
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}

/** The longest header (two varints of up to 10 bytes) or instruction (1 + 7 bytes, or 1 + 127) carried between pieces. */
const CARRY_MAX = 128;
/** Output is handed on in pieces of this size, and base copies read in pieces of at most this. */
const OUT_BYTES = 256 * 1024;

export class DeltaStream {
  private carry = new Uint8Array(0);
  private resultSize = -1;
  private produced = 0;
  private readonly out = new Uint8Array(OUT_BYTES);
  private outLength = 0;

  /** `emit` gets the result in pieces (views, valid during the call). */
  constructor(
    private readonly base: RangeReader,
    private readonly emit: (piece: Uint8Array) => void,
  ) {}

  /** The result's size once the delta's header has been read, else -1. */
  get size(): number {
    return this.resultSize;
  }

  /** Takes the delta's next bytes. */
  feed(piece: Uint8Array): void {
    let data = piece;
    if (this.carry.length > 0) {
      data = new Uint8Array(this.carry.length + piece.length);
      data.set(this.carry, 0);
      data.set(piece, this.carry.length);
    }
    let pos = this.resultSize < 0 ? this.header(data) : 0;
    if (pos < 0) {
      this.keep(data, 0);
      return;
    }
    while (pos < data.length) {
      const op = data[pos]!;
      const need = op & 0x80 ? 1 + bitCount(op & 0x7f) : 1 + op;
      if (pos + need > data.length) break;
      if (op & 0x80) {
        let offset = 0;
        let size = 0;
        let at = pos + 1;
        for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += data[at++]! * 2 ** (8 * i);
        for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += data[at++]! << (8 * i);
        if (size === 0) size = 0x10000;
        if (offset + size > this.base.size || this.produced + size > this.resultSize) throw new PackError("delta copy is out of bounds");
        for (let from = offset; from < offset + size; ) {
          const to = Math.min(offset + size, from + OUT_BYTES);
          this.write(this.base.read(from, to));
          from = to;
        }
      } else if (op) {
        if (this.produced + op > this.resultSize) throw new PackError("delta insert is out of bounds");
        this.write(data.subarray(pos + 1, pos + 1 + op));
      } else {
        throw new PackError("delta has a reserved zero opcode");
      }
      pos += need;
    }
    this.keep(data, pos);
  }

  /** After the last piece: checks that the delta was whole, and hands on the rest of the result. */
  finish(): void {
    if (this.resultSize < 0 || this.carry.length > 0) throw new PackError("delta is truncated");
    if (this.produced !== this.resultSize) throw new PackError(`delta produced ${this.produced} bytes, expected ${this.resultSize}`);
    this.flush();
  }

  /** Reads the two sizes; returns where the instructions start, or -1 when `data` does not hold both yet. */
  private header(data: Uint8Array): number {
    const base = varint(data, 0);
    const result = base && varint(data, base.next);
    if (!base || !result) {
      if (data.length >= CARRY_MAX) throw new PackError("delta header is malformed");
      return -1;
    }
    if (base.value !== this.base.size) throw new PackError(`delta base size ${base.value} does not match base of ${this.base.size} bytes`);
    this.resultSize = result.value;
    return result.next;
  }

  private keep(data: Uint8Array, from: number): void {
    if (data.length - from > CARRY_MAX) throw new PackError("delta instruction is malformed");
    this.carry = data.slice(from);
  }

  private write(bytes: Uint8Array): void {
    this.produced += bytes.length;
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, OUT_BYTES - this.outLength);
      this.out.set(bytes.subarray(at, at + n), this.outLength);
      this.outLength += n;
      at += n;
      if (this.outLength === OUT_BYTES) this.flush();
    }
  }

  private flush(): void {
    if (this.outLength > 0) this.emit(this.out.subarray(0, this.outLength));
    this.outLength = 0;
  }
}

function bitCount(bits: number): number {
  let n = 0;
  for (let b = bits; b; b >>= 1) n += b & 1;
  return n;
}

/** A size varint at `pos`, or null when `data` ends inside it. */
function varint(data: Uint8Array, pos: number): { value: number; next: number } | null {
  let value = 0;
  let shift = 0;
  for (let at = pos; at < data.length && shift < 70; at++) {
    const byte = data[at]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return { value, next: at + 1 };
  }
  if (shift >= 70) throw new PackError("delta header is malformed");
  return null;
}
