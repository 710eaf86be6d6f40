// A max-heap of commits by committer time, for walks that visit newer commits first. Commits of the
// same time come out in the order they went in, as from git's date-sorted commit list
// (commit_list_insert_by_date), so that walks which list commits (the browse API's history, rev-list's
// boundary in shallow.ts) order ties as git does. The object walk (enumerate.ts) and the symmetric
// difference (browse/symmetric-difference.ts) give generations in place of times where the commit
// graph has them.

interface Item {
  oid: string;
  time: number;
  order: number;
}

export class CommitHeap {
  private readonly items: Item[] = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  push(oid: string, time: number): void {
    const items = this.items;
    items.push({ oid, time, order: this.pushed++ });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!first(items[i]!, items[parent]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && first(items[l]!, items[m]!)) m = l;
        if (r < items.length && first(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i]!, items[m]!];
        i = m;
      }
    }
    return top?.oid;
  }
}

/** Whether `a` comes out before `b`: newer, or as new and pushed earlier. */
function first(a: Item, b: Item): boolean {
  return a.time > b.time || (a.time === b.time && a.order < b.order);
}
