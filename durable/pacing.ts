// How long work in a repository's Durable Object gives way to other requests. The object runs one
// piece of JavaScript at a time, and an await on a promise that is already settled lets nothing in,
// so every long loop (push indexing, delta resolution, connectivity, walks, repacks) counts its units
// of work with a Pacer and awaits one turn of the event loop every so many: other requests to the
// repository (an ls-remote, a small fetch, the API) then run between two of its steps.
//
// Counts, not clocks: in workerd the clock does not advance while JavaScript runs, so "every 50 ms"
// cannot be measured. The counts below are sized from measured rates (git's own history, 2 cores) to
// about 50 ms of work or less.
//
// What may interleave: anything that reads. A push's objects stay invisible to others until its ref
// transaction (incoming packs are not readable, and its staged index rows answer only for it); that
// transaction, like every ref update, is one synchronous transactionSync, so nothing interleaves with
// it, and concurrent pushes to one ref still end with exactly one winner (compare-and-swap).

/** One turn of the event loop. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Gives way once every `every` units of work. */
export class Pacer {
  private done = 0;

  constructor(private readonly every: number) {}

  /** Counts `units` of work, and gives way when their sum reaches `every`. */
  async step(units = 1): Promise<void> {
    this.done += units;
    if (this.done < this.every) return;
    this.done = 0;
    await tick();
  }
}

/**
 * Pack entries indexed between turns. Over git's own history (500 MB pushed in about 40 s) the
 * slowest ls-remote during the push took 1.6 s at 512, 0.8 s at 128 and 0.28 s at 32, with the push
 * as fast at each (a turn costs next to nothing): deltas whose bases are rebuilt from storage make
 * some entries far longer than the average.
 */
export const INDEX_ENTRIES = 32;
/** Statements of 500 object index rows between turns: about 3.5 ms each (7 µs a row). */
export const INSERTS_PER_TURN = 8;
/** Objects or commits read and parsed by a walk between turns. */
export const WALK_OBJECTS = 128;
/** Index lookups (of up to 100 ids each) between turns. */
export const LOOKUPS = 64;
/** Pack pieces (about 64 KiB each) written by a repack between turns. */
export const PACK_PIECES = 2;
/** Object index rows scanned (read and tested, about 2.4 µs each) between turns. */
export const SCANNED_ROWS = 2048;
