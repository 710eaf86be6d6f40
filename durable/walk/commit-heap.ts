// A max-heap of commits by committer time, for walks that visit newer commits first.

export class CommitHeap {
  private readonly items: { oid: string; time: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(oid: string, time: number): void {
    const items = this.items;
    items.push({ oid, time });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (items[parent].time >= items[i].time) break;
      [items[parent], items[i]] = [items[i], items[parent]];
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
        if (l < items.length && items[l].time > items[m].time) m = l;
        if (r < items.length && items[r].time > items[m].time) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top?.oid;
  }
}
