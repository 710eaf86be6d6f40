// The entries of the pack being indexed, in stream order: offsets in a Float64Array and 20-byte ids in
// one Uint8Array, so an OFS_DELTA's base is found by binary search without a query or a string per entry.
import { hexDigit } from "./hex";

export class OffsetIndex {
  private offsets: Float64Array;
  private oids: Uint8Array;
  private resolved: Uint8Array;
  private count = 0;

  /** `capacity`: the entries expected (a pack's header says how many), so that the arrays need not grow. */
  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    this.offsets = new Float64Array(n);
    this.oids = new Uint8Array(n * 20);
    this.resolved = new Uint8Array(n);
  }

  /** Appends the entry at `offset` (larger than any before) and returns its number. */
  add(offset: number): number {
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = offset;
    return this.count++;
  }

  /** Records the id of entry `i` once it is known. */
  setOid(i: number, oid: string): void {
    const base = i * 20;
    for (let k = 0; k < 20; k++) this.oids[base + k] = (hexDigit(oid.charCodeAt(2 * k)) << 4) | hexDigit(oid.charCodeAt(2 * k + 1));
    this.resolved[i] = 1;
  }

  /** The id of the entry at `offset`, or null when there is none or it is not resolved yet. */
  oidAt(offset: number): string | null {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.offsets[mid];
      if (at === offset) return this.resolved[mid] ? hex(this.oids, mid * 20) : null;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    this.offsets = copyInto(new Float64Array(n), this.offsets);
    this.oids = copyInto(new Uint8Array(n * 20), this.oids);
    this.resolved = copyInto(new Uint8Array(n), this.resolved);
  }
}

function copyInto<T extends Float64Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}

const HEX = "0123456789abcdef";

function hex(bytes: Uint8Array, at: number): string {
  let s = "";
  for (let k = at; k < at + 20; k++) s += HEX[bytes[k] >> 4] + HEX[bytes[k] & 15];
  return s;
}
