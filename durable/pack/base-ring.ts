// The pack indexer's delta-base cache: the entries it resolved most recently, kept in one buffer
// allocated once and written round like a ring, and found by entry number through typed arrays. So
// indexing allocates nothing per object, on the heap or off it: resolving git's own history produces
// gigabytes of objects, and as separate arrays they would be garbage the isolate's 128 MB cannot hold
// between collections. An entry read again is copied to the front once it is in the older half, so
// often-used bases stay, as in an LRU.

import type { GitObject } from "./types";

export class BaseRing {
  private readonly buf: Uint8Array;
  /** Per entry: where its object starts in the stream of bytes ever reserved, or -1. */
  private starts = new Float64Array(0);
  private sizes = new Uint32Array(0);
  private types = new Uint8Array(0);
  /** Stream position of the next reservation; the buffer holds the last `capacity` bytes before it. */
  private head = 0;
  /** Objects starting before this stream position have been written over, wholly or in part. */
  private floor = 0;

  /** `entries`: how many entries to make room for up front (a pack's header says); more grow the arrays. */
  constructor(
    readonly capacity: number,
    entries = 0,
  ) {
    this.buf = new Uint8Array(capacity);
    if (entries > 0) this.grow(entries - 1);
  }

  /** The largest object kept; anything larger gets its own buffer and is not cached. */
  get maxObject(): number {
    return Math.floor(this.capacity / 4) - 1;
  }

  /** Room for an object of `size` bytes plus a spare byte: reserved in the ring when it fits, else a new array. */
  room(size: number): Uint8Array {
    return this.reserve(size) ?? new Uint8Array(size + 1);
  }

  /**
   * Keeps entry `entry`'s object if its data was written into the last reservation (and not into an
   * array of its own), anywhere in it. The objects the reservation wrote over are gone from then on.
   */
  keep(entry: number, object: GitObject): void {
    if (object.data.buffer !== this.buf.buffer) return;
    if (entry >= this.starts.length) this.grow(entry);
    const start = this.head + object.data.byteOffset - (this.head % this.capacity);
    this.starts[entry] = start;
    this.sizes[entry] = object.data.length;
    this.types[entry] = object.type;
    this.head = start + object.data.length;
  }

  /**
   * Entry `entry`'s object, or null. Its data stays valid until a quarter of the ring has been
   * reserved since: reserving an object of at most maxObject bytes, after this, cannot reach it.
   */
  get(entry: number): GitObject | null {
    if (entry >= this.starts.length) return null;
    const start = this.starts[entry];
    const size = this.sizes[entry];
    if (start < 0 || start < this.floor) return null;
    if (start < this.head - this.capacity / 2) {
      const from = start % this.capacity;
      const to = this.reserve(size)!.subarray(0, size);
      // copyWithin reads the source before writing, even where the two overlap.
      this.buf.copyWithin(to.byteOffset, from, from + size);
      this.keep(entry, { type: this.types[entry], data: to });
      return this.get(entry);
    }
    const at = start % this.capacity;
    return { type: this.types[entry], data: this.buf.subarray(at, at + size) };
  }

  /**
   * Room for `size` + 1 bytes at the front of the ring, or null when the object is too large to keep.
   * An object is never split across the end of the buffer: the tail is skipped instead.
   */
  private reserve(size: number): Uint8Array | null {
    if (size > this.maxObject) return null;
    let at = this.head % this.capacity;
    if (at + size + 1 > this.capacity) {
      this.head += this.capacity - at;
      at = 0;
    }
    this.floor = Math.max(this.floor, this.head + size + 1 - this.capacity);
    return this.buf.subarray(at, at + size + 1);
  }

  private grow(entry: number): void {
    // By a quarter: keys past a pack's entries (its stored bases) need not double arrays sized to the pack.
    const n = Math.max(entry + 1, Math.ceil(this.starts.length * 1.25));
    const starts = new Float64Array(n).fill(-1);
    starts.set(this.starts);
    this.starts = starts;
    const sizes = new Uint32Array(n);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const types = new Uint8Array(n);
    types.set(this.types);
    this.types = types;
  }
}
