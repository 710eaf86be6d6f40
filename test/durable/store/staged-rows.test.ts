import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { StagedRows } from "../../../durable/store/staged-rows";

const oid = (n: number) => createHash("sha1").update(String(n)).digest("hex");
const entry = (n: number, base: string | null = null) => ({ oid: oid(n), offset: 12 + n * 10, end: 22 + n * 10, type: base ? 2 : 3, size: n, baseOid: base });

describe("StagedRows", () => {
  it("finds staged rows by id, keeps the first copy of an id, and knows when it is full", () => {
    const rows = new StagedRows(7, 3);
    rows.add(entry(1));
    rows.add(entry(2, oid(1)));
    rows.add({ ...entry(1), offset: 999 });
    expect(rows.count).toBe(2);
    expect(rows.full).toBe(false);
    expect(rows.get(oid(1))).toEqual({ ...entry(1), packId: 7 });
    expect(rows.get(oid(2))?.baseOid).toBe(oid(1));
    expect(rows.get(oid(3))).toBeUndefined();
    rows.add(entry(3));
    expect(rows.full).toBe(true);
    rows.clear();
    expect(rows.get(oid(1))).toBeUndefined();
  });

  it("lists the rows sorted by id as JSON batches", () => {
    const rows = new StagedRows(1, 100);
    for (let n = 0; n < 50; n++) rows.add(entry(n, n % 2 ? oid(n - 1) : null));
    const batches = [...rows.jsonBatches(20)].map((text) => JSON.parse(text) as unknown[][]);
    expect(batches.map((b) => b.length)).toEqual([20, 20, 10]);
    const all = batches.flat();
    const ids = all.map((row) => row[0] as string);
    expect(ids).toEqual([...ids].sort());
    const n = Array.from({ length: 50 }, (_, i) => i).find((i) => oid(i) === ids[0])!;
    expect(all[0]).toEqual([oid(n), 12 + n * 10, 22 + n * 10, n % 2 ? 2 : 3, n, n % 2 ? oid(n - 1) : null]);
  });
});
