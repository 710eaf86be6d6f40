// The pack indexer's delta-base cache: the objects it resolved most recently (the pack's entries and
// a thin pack's stored bases), kept in one buffer allocated once and written round like a ring, and
// found by number through typed arrays. So indexing allocates nothing per object, on the heap or off
// it: resolving git's own history produces gigabytes of objects, and as separate arrays they would be
// garbage the isolate's 128 MB cannot hold between collections. An object read again is copied to the
// front once it is in the older half, so often-used bases stay, as in an LRU.

import type { GitObject } from "./types";

/** Where kept objects are, by number: the stream position each starts at (-1: none), its size and type. */
class Places {
  starts = new Float64Array(0);
  sizes = new Uint32Array(0);
  types = new Uint8Array(0);

  /** Makes room for number `n`, doubling. */
  reach(n: number): void {
    if (n < this.starts.length) return;
    const length = Math.max(n + 1, this.starts.length * 2);
    const starts = new Float64Array(length).fill(-1);
    starts.set(this.starts);
    this.starts = starts;
    const sizes = new Uint32Array(length);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const types = new Uint8Array(length);
    types.set(this.types);
    this.types = types;
  }
}

/**
 * Objects are kept by key: a pack's entry numbers (0 and up), or negative numbers that the caller
 * gives objects from outside the pack (-1 and down), each with arrays of its own.
 */
export class BaseRing {
  private readonly buf: Uint8Array;
  private readonly entries = new Places();
  private readonly outside = new Places();
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
    if (entries > 0) this.entries.reach(entries - 1);
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
   * Keeps the object under `key` if its data was written into the last reservation (and not into an
   * array of its own), anywhere in it. The objects the reservation wrote over are gone from then on.
   */
  keep(key: number, object: GitObject): void {
    if (object.data.buffer !== this.buf.buffer) return;
    const places = key >= 0 ? this.entries : this.outside;
    const n = key >= 0 ? key : -key - 1;
    places.reach(n);
    const start = this.head + object.data.byteOffset - (this.head % this.capacity);
    places.starts[n] = start;
    places.sizes[n] = object.data.length;
    places.types[n] = object.type;
    this.head = start + object.data.length;
  }

  /**
   * The object kept under `key`, or null. Its data stays valid until a quarter of the ring has been
   * reserved since: reserving an object of at most maxObject bytes, after this, cannot reach it.
   */
  get(key: number): GitObject | null {
    const places = key >= 0 ? this.entries : this.outside;
    const n = key >= 0 ? key : -key - 1;
    if (n >= places.starts.length) return null;
    const start = places.starts[n];
    const size = places.sizes[n];
    const type = places.types[n];
    if (start < 0 || start < this.floor) return null;
    if (start < this.head - this.capacity / 2) {
      const from = start % this.capacity;
      const to = this.reserve(size)!.subarray(0, size);
      // copyWithin reads the source before writing, even where the two overlap.
      this.buf.copyWithin(to.byteOffset, from, from + size);
      this.keep(key, { type, data: to });
      return this.get(key);
    }
    const at = start % this.capacity;
    return { type, data: this.buf.subarray(at, at + size) };
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
}
