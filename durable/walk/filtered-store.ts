// The objects a partial clone is sent while the store's packs hold exactly the repository's reachable
// objects, each once (store/whole-reuse.ts): every stored object of a type and size the filter keeps,
// and the objects the wants name, with no history walk, as C git answers a filtered clone from its
// reachability bitmaps. They are counted by type first (the pack's header comes first), then chosen as
// the pack writer scans the packs in stored order.
import { StorageError } from "../errors";
import type { PackObjects } from "../pack/writer";
import type { ObjectLocation, ObjectStore } from "../store/objects";
import { Pacer } from "../pacing";
import type { FilterPlan } from "./filter-plan";
import { SendSet } from "./send-set";

export class FilteredStore implements PackObjects {
  /** The objects written so far: a delta is sent as one only on a base written before it. */
  private readonly written = new SendSet();

  private constructor(
    readonly count: number,
    private readonly filter: FilterPlan,
    private readonly wanted: Set<string>,
  ) {}

  /** `wants` with the objects their tags peel to, all of which are sent whatever the filter says. */
  static async of(store: ObjectStore, packIds: number[], filter: FilterPlan, wants: string[]): Promise<FilteredStore> {
    const wanted = new Set<string>();
    for (const want of wants) {
      const { tags, target, type } = await store.peelTags(want);
      if (type === null) throw new StorageError(`want ${want} reaches ${target}, which is not in the repository`);
      for (const oid of [...tags, target]) wanted.add(oid);
    }
    const limit = Number.isFinite(filter.blobLimit) ? filter.blobLimit : 0;
    let count = 0;
    // Each counting statement gives way after it.
    for (const { type, small, count: n } of await store.typeCounts(packIds, limit, new Pacer(1))) {
      if (filter.keeps(type, 0, small ? 0 : limit)) count += n;
    }
    for (const oid of wanted) {
      const loc = store.locate(oid)!;
      if (!filter.keeps(loc.type, 0, loc.size)) count++;
    }
    return new FilteredStore(count, filter, wanted);
  }

  /** Whether the object is written already. */
  has(oid: string): boolean {
    return this.written.has(oid);
  }

  /** Whether the scanned object `loc` is sent; notes it as written when it is. */
  pack(oid: string, loc?: ObjectLocation): boolean {
    if (!loc || !(this.filter.keeps(loc.type, 0, loc.size) || this.wanted.has(oid))) return false;
    // One lookup, not a has() and then an add(): this runs for every entry of the packs.
    const before = this.written.count;
    this.written.add(oid);
    return this.written.count > before;
  }

  allPacked(): boolean {
    return this.written.count === this.count;
  }

  /** The ids are known only as the scan meets them. */
  oids(): string[] {
    return [];
  }

  wrote(oid: string, offset: number): void {
    this.written.wrote(oid, offset);
  }

  offsetOf(oid: string): number | undefined {
    return this.written.offsetOf(oid);
  }
}
