// The owner of the `commit_graph` table (schema.ts): each stored commit's parents, root tree, time,
// generation and changed-path filter, so that history walks (browse/history.ts, the compare route)
// step through commits without inflating them, and skip the trees of commits that did not touch a
// path. Rows are written by graph/build.ts only; a commit without a row is read from the store.
// Rows read are kept in a small cache (browse's walks read a window of neighbours at a time): the
// same walk comes again with each page of a history or a repeated comparison.
import { ByteLru } from "../store/lru";

export interface GraphCommit {
  oid: string;
  tree: string;
  parents: string[];
  /** Committer time, in seconds. */
  time: number;
  generation: number;
  /** Paths changed against the first parent (bloom.ts), or null where no filter is kept. */
  bloom: Uint8Array | null;
}

interface Row extends Record<string, SqlStorageValue> {
  oid: string;
  tree: string;
  parents: string;
  time: number;
  generation: number;
  bloom: ArrayBuffer | null;
}

/** Bound values per row: 6, so 16 rows keep a statement under the 100 that SQLite allows here. */
const ROWS_PER_INSERT = 16;

/**
 * Rows read together: those whose rowids share the row's rowid divided by WINDOW. A graph is written
 * parents first, so the commits written beside one are mostly its history: a comparison across 100
 * merges of git's history walks 10,355 commits, which lie in 50 windows of 256 (81% of their rows),
 * and reads them in 50 queries rather than 10,355 (each an index probe, 40 µs on a cold page cache).
 */
const WINDOW = 256;
/** One probe of the oid index for the window's start, then a range of the table by rowid. */
const WINDOW_QUERY =
  `WITH w AS (SELECT rowid / ${WINDOW} * ${WINDOW} AS lo FROM commit_graph WHERE oid = ?) ` +
  `SELECT oid, tree, parents, time, generation, bloom FROM w, commit_graph WHERE commit_graph.rowid >= w.lo AND commit_graph.rowid < w.lo + ${WINDOW}`;

/** About 20,000 rows: a walk over a few thousand commits stays in it, at 4 MiB of the isolate. */
const CACHE_BYTES = 4 * 1024 * 1024;
/** What a row costs in the cache besides its filter: three ids as strings, the parents' array, the object. */
const ROW_BYTES = 200;

export class CommitGraph {
  private readonly cache = new ByteLru<GraphCommit>(CACHE_BYTES);

  constructor(private readonly sql: SqlStorage) {}

  /** The commit's row; callers must not change it (it is shared through the cache). */
  get(oid: string): GraphCommit | undefined {
    const cached = this.cache.get(oid);
    if (cached) return cached;
    const row = this.sql.exec<Row>("SELECT oid, tree, parents, time, generation, bloom FROM commit_graph WHERE oid = ?", oid).toArray()[0];
    return row && this.remember(row);
  }

  /**
   * Like get, for walks that go on through the commit's history (browse's history pages and
   * comparisons): a row not cached comes with the WINDOW rows written beside it, since rows go in
   * parents first. A fetch's walk asks get: its haves, one per ref, lie all over the table.
   */
  near(oid: string): GraphCommit | undefined {
    const cached = this.cache.get(oid);
    if (cached) return cached;
    let found: GraphCommit | undefined;
    for (const row of this.sql.exec<Row>(WINDOW_QUERY, oid)) {
      const commit = this.remember(row);
      if (row.oid === oid) found = commit;
    }
    return found;
  }

  private remember(row: Row): GraphCommit {
    const commit = {
      oid: row.oid,
      tree: row.tree,
      parents: row.parents === "" ? [] : row.parents.split(" "),
      time: row.time,
      generation: row.generation,
      bloom: row.bloom === null ? null : new Uint8Array(row.bloom),
    };
    this.cache.set(row.oid, commit, ROW_BYTES + (commit.bloom?.length ?? 0));
    return commit;
  }

  /** Drops the cached rows. */
  forget(): void {
    this.cache.clear();
  }

  /** Writes rows; a commit that has one already keeps it (rows never change). */
  insert(commits: GraphCommit[]): void {
    for (let i = 0; i < commits.length; i += ROWS_PER_INSERT) {
      const batch = commits.slice(i, i + ROWS_PER_INSERT);
      const values = batch.flatMap((c) => [c.oid, c.tree, c.parents.join(" "), c.time, c.generation, c.bloom]);
      this.sql.exec(`INSERT OR IGNORE INTO commit_graph (oid, tree, parents, time, generation, bloom) VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`, ...values);
    }
  }

  size(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM commit_graph").one().n;
  }
}
