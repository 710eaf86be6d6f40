// The object-index rows of the pack being ingested that are not inserted yet: columns of typed arrays
// with an open-addressing index on the id, reused batch after batch. A batch of 20,000 rows costs
// about 1.4 MB and nothing per row on the heap, where a Map of row objects kept every row alive
// across many awaits, so that each was promoted to the old generation and died there.
import { hexAt, writeHexBytes } from "../pack/hex";
import type { IndexedEntry } from "../pack/indexer";
import type { ObjectLocation } from "./objects";

/** A row's JSON at most: two quoted ids, four integers of up to 16 digits, brackets and commas. */
const MAX_ROW_BYTES = 2 * 42 + 4 * 16 + 8;

/** ASCII JSON written into one reused buffer. */
class JsonBytes {
  private readonly buf: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  byte(b: number): void {
    this.buf[this.length++] = b;
  }

  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  /** A 20-byte id as a quoted hex string. */
  id(bytes: Uint8Array, at: number): void {
    this.byte(0x22);
    for (let k = at; k < at + 20; k++) {
      this.byte(HEX_DIGITS[bytes[k] >> 4]);
      this.byte(HEX_DIGITS[bytes[k] & 15]);
    }
    this.byte(0x22);
  }

  /** A non-negative integer in decimal. */
  integer(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let at = this.length + digits - 1; at >= this.length; at--) {
      this.buf[at] = 0x30 + (value % 10);
      value = Math.floor(value / 10);
    }
    this.length += digits;
  }

  /** A comma, then the integer. */
  field(value: number): void {
    this.byte(0x2c);
    this.integer(value);
  }

  text(): string {
    return DECODER.decode(this.buf.subarray(0, this.length));
  }
}

const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const DECODER = new TextDecoder();

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

  /**
   * The rows sorted by id, as JSON arrays of [oid, offset, end, type, size, baseOid] of at most `per`
   * rows. Each batch is written as ASCII bytes and decoded once, not built from a string per value.
   */
  *jsonBatches(per: number): Generator<string> {
    const order = Uint32Array.from({ length: this.count }, (_, i) => i);
    order.sort((a, b) => this.compareIds(a, b));
    const out = new JsonBytes(per * MAX_ROW_BYTES + 2);
    for (let i = 0; i < order.length; i += per) {
      out.reset();
      out.byte(0x5b);
      for (const row of order.subarray(i, i + per)) {
        if (out.length > 1) out.byte(0x2c);
        out.byte(0x5b);
        out.id(this.oids, row * 20);
        out.field(this.offsets[row]);
        out.field(this.ends[row]);
        out.field(this.types[row]);
        out.field(this.sizes[row]);
        out.byte(0x2c);
        if (this.hasBase[row]) out.id(this.bases, row * 20);
        else out.ascii("null");
        out.byte(0x5d);
      }
      out.byte(0x5d);
      yield out.text();
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
