// A hash table of binary object ids with a few flag bits each, and a 32-bit number each once one is
// set, in flat typed arrays: 25 bytes a slot (29 with numbers), where a Map of hex strings costs over
// 100 bytes an id. Object ids are SHA-1 digests, so their first four bytes serve as the hash, and are kept as a
// number per slot so that probing compares numbers.

export class OidTable {
  private ids = new Uint8Array(0);
  private heads = new Int32Array(0);
  /** 0 marks an empty slot; set slots hold their flags plus EMPTY_BIT. */
  private flags = new Uint8Array(0);
  /** A number per slot plus one (0: none set), allocated by the first setValue. */
  private values: Uint32Array | null = null;
  private used = 0;

  /** `expected`: the ids it will hold, so that it need not grow (it is filled to 4/5 before it does). */
  constructor(expected = 0) {
    this.allocate(Math.max(1024, Math.ceil(expected * 1.4)));
  }

  get size(): number {
    return this.used;
  }

  /** ORs `flag` (1..64) into the flags of the id at `bytes[at..at+20)`, adding it if it is new. */
  mark(bytes: Uint8Array, at: number, flag: number): void {
    if ((this.used + 1) * 5 > this.flags.length * 4) this.allocate(this.flags.length * 2);
    const slot = this.find(bytes, at);
    if (this.flags[slot] === 0) {
      for (let k = 0; k < 20; k++) this.ids[slot * 20 + k] = bytes[at + k];
      this.heads[slot] = head(bytes, at);
      this.used++;
    }
    this.flags[slot] |= flag | SET;
  }

  /** The flags of the id at `bytes[at..at+20)`; 0 when it is absent. */
  flagsOf(bytes: Uint8Array, at: number): number {
    return this.flags[this.find(bytes, at)] & ~SET;
  }

  /** Stores a number (0 to 2^32 - 2) with the id at `bytes[at..at+20)`, which must be in the table. */
  setValue(bytes: Uint8Array, at: number, value: number): void {
    this.values ??= new Uint32Array(this.flags.length);
    this.values[this.find(bytes, at)] = value + 1;
  }

  /** The number stored with the id, or -1 when none is (or the id is absent). */
  valueOf(bytes: Uint8Array, at: number): number {
    return this.values ? this.values[this.find(bytes, at)] - 1 : -1;
  }

  /** Calls `fn` with each id (a view valid during the call) and its flags. */
  forEach(fn: (id: Uint8Array, flags: number) => void): void {
    for (let slot = 0; slot < this.flags.length; slot++) {
      if (this.flags[slot] !== 0) fn(this.ids.subarray(slot * 20, slot * 20 + 20), this.flags[slot] & ~SET);
    }
  }

  /** The slot holding the id, or the empty slot where it would go (linear probing). */
  private find(bytes: Uint8Array, at: number): number {
    const h = head(bytes, at);
    const slots = this.flags.length;
    // Any slot count works (a modulo, not a mask), so the table is sized to the pack, not to a power of two.
    for (let slot = (h >>> 0) % slots; ; slot = slot + 1 === slots ? 0 : slot + 1) {
      if (this.flags[slot] === 0 || (this.heads[slot] === h && this.tailEquals(slot, bytes, at))) return slot;
    }
  }

  /** Whether bytes 4..19 of the id in `slot` equal those at `bytes[at..]`. */
  private tailEquals(slot: number, bytes: Uint8Array, at: number): boolean {
    const base = slot * 20;
    for (let k = 4; k < 20; k++) if (this.ids[base + k] !== bytes[at + k]) return false;
    return true;
  }

  private allocate(slots: number): void {
    const oldIds = this.ids;
    const oldFlags = this.flags;
    const oldHeads = this.heads;
    const oldValues = this.values;
    this.ids = new Uint8Array(slots * 20);
    this.heads = new Int32Array(slots);
    this.flags = new Uint8Array(slots);
    this.values = oldValues && new Uint32Array(slots);
    for (let slot = 0; slot < oldFlags.length; slot++) {
      if (oldFlags[slot] === 0) continue;
      const to = this.find(oldIds, slot * 20);
      this.ids.set(oldIds.subarray(slot * 20, slot * 20 + 20), to * 20);
      this.heads[to] = oldHeads[slot];
      this.flags[to] = oldFlags[slot];
      if (oldValues) this.values![to] = oldValues[slot];
    }
  }
}

const SET = 0x80;

function head(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}
