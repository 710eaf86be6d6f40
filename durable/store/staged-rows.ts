// The object-index rows of the pack being ingested that are not inserted yet: columns of typed arrays
// with an open-addressing index on the id, reused batch after batch. A batch of 20,000 rows costs
// about 1.4 MB and nothing per row on the heap, where a Map of row objects kept every row alive
// across many awaits, so that each was promoted to the old generation and died there.
import { hexAt, writeHexBytes } from "../pack/hex";
import type { IndexedEntry } from "../pack/indexer";
import type { ObjectLocation } from "./objects";

export class StagedRows {
  private readonly oids: Uint8Array;
  private readonly bases: Uint8Array;
  private readonly hasBase: Uint8Array;
  private readonly offsets: Float64Array;
  private readonly ends: Float64Array;
  private readonly sizes: Float64Array;
  private readonly types: Uint8Array;
  /** Row number + 1 per slot, 0 for an empty slot; a power of two at least twice the capacity. */
  private readonly slots: Int32Array;
  private readonly probe = new Uint8Array(20);
  count = 0;

  constructor(
    readonly packId: number,
    readonly capacity: number,
  ) {
    this.oids = new Uint8Array(capacity * 20);
    this.bases = new Uint8Array(capacity * 20);
    this.hasBase = new Uint8Array(capacity);
    this.offsets = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.types = new Uint8Array(capacity);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(capacity * 2)));
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Adds the row unless one for the same id is staged already (the first copy stays, as INSERT OR IGNORE keeps it). */
  add(e: IndexedEntry): void {
    const row = this.count;
    writeHexBytes(e.oid, this.oids, row * 20);
    const slot = this.find(this.oids, row * 20);
    if (this.slots[slot] !== 0) return;
    this.slots[slot] = row + 1;
    this.offsets[row] = e.offset;
    this.ends[row] = e.end;
    this.sizes[row] = e.size;
    this.types[row] = e.type;
    this.hasBase[row] = e.baseOid ? 1 : 0;
    if (e.baseOid) writeHexBytes(e.baseOid, this.bases, row * 20);
    this.count++;
  }

  get(oid: string): ObjectLocation | undefined {
    writeHexBytes(oid, this.probe, 0);
    const row = this.slots[this.find(this.probe, 0)] - 1;
    if (row < 0) return undefined;
    return { oid, packId: this.packId, offset: this.offsets[row], end: this.ends[row], type: this.types[row], size: this.sizes[row], baseOid: this.baseOf(row) };
  }

  /** The rows sorted by id, as JSON arrays of [oid, offset, end, type, size, baseOid] of at most `per` rows. */
  *jsonBatches(per: number): Generator<string> {
    const order = Uint32Array.from({ length: this.count }, (_, i) => i);
    order.sort((a, b) => this.compareIds(a, b));
    for (let i = 0; i < order.length; i += per) {
      const rows: string[] = [];
      for (const row of order.subarray(i, i + per)) {
        const base = this.baseOf(row);
        rows.push(`["${hexAt(this.oids, row * 20)}",${this.offsets[row]},${this.ends[row]},${this.types[row]},${this.sizes[row]},${base ? `"${base}"` : "null"}]`);
      }
      yield `[${rows.join(",")}]`;
    }
  }

  clear(): void {
    this.count = 0;
    this.slots.fill(0);
  }

  private baseOf(row: number): string | null {
    return this.hasBase[row] ? hexAt(this.bases, row * 20) : null;
  }

  /** The slot holding the id at `bytes[at..at+20)`, or the empty slot where it would go (linear probing). */
  private find(bytes: Uint8Array, at: number): number {
    const mask = this.slots.length - 1;
    // Ids are SHA-1 digests: their first bytes are already uniformly spread.
    let slot = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) & mask;
    for (;;) {
      const row = this.slots[slot] - 1;
      if (row < 0 || this.idEquals(row, bytes, at)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private idEquals(row: number, bytes: Uint8Array, at: number): boolean {
    for (let k = 0; k < 20; k++) if (this.oids[row * 20 + k] !== bytes[at + k]) return false;
    return true;
  }

  private compareIds(a: number, b: number): number {
    for (let k = 0; k < 20; k++) {
      const d = this.oids[a * 20 + k] - this.oids[b * 20 + k];
      if (d !== 0) return d;
    }
    return 0;
  }
}
