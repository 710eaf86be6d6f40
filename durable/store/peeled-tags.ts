// The owner of the `peeled_tags` table (schema.ts): what an annotated tag finally points to, kept
// once found. Every ref advertisement (ls-refs with `peel`, v0's `^{}` lines) and include-tag ask it
// of every tag; from the tag objects that was a read and an inflate a tag, 5,000 rows and some 130 ms
// for git's 1,008 tags on a Durable Object just started. The table is read whole on first use (one
// row a tag) and kept in memory, which is small (about 100 bytes a tag) and never goes stale: tags
// are content-addressed.
import type { ObjectStore } from "./objects";

export class PeeledTags {
  /** Tag id to final target; null for an id that is no annotated tag (not kept in the table). */
  private known: Map<string, string | null> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly store: ObjectStore,
  ) {}

  /** What `oid` finally points to if it is an annotated tag, else undefined. */
  async peel(oid: string): Promise<string | undefined> {
    const known = (this.known ??= this.load());
    let target = known.get(oid);
    if (target === undefined) {
      const peeled = await this.store.peelTags(oid);
      target = peeled.tags.length > 0 ? peeled.target : null;
      known.set(oid, target);
      if (target !== null) this.sql.exec("INSERT OR IGNORE INTO peeled_tags (oid, target) VALUES (?, ?)", oid, target);
    }
    return target ?? undefined;
  }

  private load(): Map<string, string | null> {
    const known = new Map<string, string | null>();
    for (const row of this.sql.exec<{ oid: string; target: string }>("SELECT oid, target FROM peeled_tags")) known.set(row.oid, row.target);
    return known;
  }
}
