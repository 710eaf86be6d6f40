// The entries of the pack being indexed, in stream order: offsets in a Float64Array and 20-byte ids in
// one Uint8Array, so an OFS_DELTA's base entry is found by binary search without a query or a string per entry.
import { hexAt, writeHexBytes } from "./hex";

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

  /** The number of entries added. */
  get size(): number {
    return this.count;
  }

  /** The offset of entry `i`. */
  offsetOf(i: number): number {
    return this.offsets[i];
  }

  /** Appends the entry at `offset` (larger than any before) and returns its number. */
  add(offset: number): number {
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = offset;
    return this.count++;
  }

  /** Records the id of entry `i` once it is known. */
  setOid(i: number, oid: string): void {
    writeHexBytes(oid, this.oids, i * 20);
    this.resolved[i] = 1;
  }

  /** The number of the entry at `offset`, or -1 when no entry starts there. */
  entryAt(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.offsets[mid];
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The id of entry `i`, or null when it is not resolved yet. */
  oidOf(i: number): string | null {
    return this.resolved[i] ? hexAt(this.oids, i * 20) : null;
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
