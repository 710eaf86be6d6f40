// Changed-path Bloom filters, the idea of git's commit-graph (gitformat-commit-graph, the BIDX/BDAT
// chunks; bloom.c): for each commit, a small filter of the paths that differ from its first parent,
// each path with its leading directories ("a/b/c" adds "a/b/c", "a/b", "a"). A path-limited history
// asks the filter first: "not there" is certain, so the commit is the same as its first parent at
// that path without reading a tree; "maybe" means the trees are compared as before.
// The sizes are git's: 10 bits a path, 7 hashes by double hashing of two seeded 32-bit murmur3
// hashes, and no filter (always "maybe") past 512 changed paths. The bytes are this store's own and
// are never sent to a client.

export const BLOOM = { bitsPerPath: 10, hashes: 7, maxPaths: 512 } as const;

const SEED_1 = 0x293ae76f;
const SEED_2 = 0x7e646e2c;
const encoder = new TextEncoder();

/** MurmurHash3's 32-bit variant (x86_32) of `data` with `seed`. */
export function murmur3(data: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = data.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const j = i * 4;
    let k = data[j]! | (data[j + 1]! << 8) | (data[j + 2]! << 16) | (data[j + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  switch (data.length & 3) {
    case 3:
      k ^= data[tail + 2]! << 16;
    // falls through
    case 2:
      k ^= data[tail + 1]! << 8;
    // falls through
    case 1:
      k ^= data[tail]!;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** "a/b/c" and its leading directories: "a/b/c", "a/b", "a". */
export function pathKeys(path: string): string[] {
  const keys = [path];
  for (let at = path.lastIndexOf("/"); at > 0; at = path.lastIndexOf("/", at - 1)) keys.push(path.slice(0, at));
  return keys;
}

/** The bit positions of one key in a filter of `bits` bits. */
function positions(key: string, bits: number): number[] {
  const data = encoder.encode(key);
  const h1 = murmur3(data, SEED_1);
  const h2 = murmur3(data, SEED_2);
  const out: number[] = [];
  for (let i = 0; i < BLOOM.hashes; i++) out.push(((h1 + Math.imul(i, h2)) >>> 0) % bits);
  return out;
}

/**
 * The filter of `paths` (changed files and directories, each once), or null when there are more than
 * BLOOM.maxPaths of them (a filter that answers "maybe" to everything). An empty change gets one
 * byte of zeros: every path is then certainly unchanged.
 */
export function bloomFilter(paths: ReadonlySet<string>): Uint8Array | null {
  if (paths.size > BLOOM.maxPaths) return null;
  const bytes = Math.max(1, Math.ceil((paths.size * BLOOM.bitsPerPath) / 8));
  const filter = new Uint8Array(bytes);
  for (const path of paths) {
    for (const bit of positions(path, bytes * 8)) filter[bit >> 3]! |= 1 << (bit & 7);
  }
  return filter;
}

/** Whether `path` may have changed, by `filter` (null: no filter, so it may). */
export function mayHaveChanged(filter: Uint8Array | null, path: string): boolean {
  if (filter === null) return true;
  const bits = filter.length * 8;
  for (const key of pathKeys(path)) {
    if (!positions(key, bits).every((bit) => (filter[bit >> 3]! & (1 << (bit & 7))) !== 0)) return false;
  }
  return true;
}
