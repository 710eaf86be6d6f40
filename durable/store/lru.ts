// A cache of recently used values bounded by their total byte size, in two generations: a value goes
// into the young one; once the young one would pass half the budget it becomes the old one and the old
// one is dropped; a value read from the old generation moves back to the young. Each operation costs
// the same at any size. (An LRU that evicted its oldest entry one at a time, iterating a Map from the
// front, stepped over the holes earlier deletions leave there: a commit walk spent a tenth of its
// time in it.)

interface Entry<V> {
  value: V;
  bytes: number;
}

export class ByteLru<V> {
  private young = new Map<string, Entry<V>>();
  private old = new Map<string, Entry<V>>();
  private youngBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit) return hit.value;
    const aged = this.old.get(key);
    if (!aged) return undefined;
    this.old.delete(key);
    this.put(key, aged);
    return aged.value;
  }

  /** Values over a quarter of the budget are not kept. */
  set(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes / 4) return;
    this.old.delete(key);
    const known = this.young.get(key);
    if (known) {
      this.young.delete(key);
      this.youngBytes -= known.bytes;
    }
    this.put(key, { value, bytes });
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
    this.youngBytes = 0;
  }

  private put(key: string, entry: Entry<V>): void {
    if (this.youngBytes + entry.bytes > this.maxBytes / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
    this.young.set(key, entry);
    this.youngBytes += entry.bytes;
  }
}
