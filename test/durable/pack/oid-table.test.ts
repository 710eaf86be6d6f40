import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { bytesToHex } from "../../../durable/pack/hex";
import { OidTable } from "../../../durable/pack/oid-table";

const id = (n: number) => new Uint8Array(createHash("sha1").update(String(n)).digest());

describe("OidTable", () => {
  it("ORs flags into ids, through many growths, and lists each id once", () => {
    const table = new OidTable(4);
    for (let n = 0; n < 5000; n++) table.mark(id(n), 0, 1);
    for (let n = 0; n < 5000; n += 2) table.mark(id(n), 0, 2);
    expect(table.size).toBe(5000);
    expect(table.flagsOf(id(10), 0)).toBe(3);
    expect(table.flagsOf(id(11), 0)).toBe(1);
    expect(table.flagsOf(id(5000), 0)).toBe(0);
    const seen = new Map<string, number>();
    table.forEach((bytes, flags) => seen.set(bytesToHex(bytes), flags));
    expect(seen.size).toBe(5000);
    expect(seen.get(bytesToHex(id(4)))).toBe(3);
  });

  it("keeps a number with an id through growths, and none for ids without one", () => {
    const table = new OidTable(4);
    expect(table.valueOf(id(1), 0)).toBe(-1);
    for (let n = 0; n < 3000; n++) {
      table.mark(id(n), 0, 1);
      if (n % 3 === 0) table.setValue(id(n), 0, n * 1000);
    }
    expect(table.valueOf(id(0), 0)).toBe(0);
    expect(table.valueOf(id(2997), 0)).toBe(2_997_000);
    expect(table.valueOf(id(2998), 0)).toBe(-1);
    table.setValue(id(1), 0, 2 ** 32 - 2);
    expect(table.valueOf(id(1), 0)).toBe(2 ** 32 - 2);
    expect(table.valueOf(id(4000), 0)).toBe(-1);
  });

  it("reads ids at an offset inside a larger array", () => {
    const table = new OidTable();
    const buffer = new Uint8Array(45);
    buffer.set(id(7), 25);
    table.mark(buffer, 25, 4);
    expect(table.flagsOf(id(7), 0)).toBe(4);
  });

  it("tells apart ids that share their first four bytes", () => {
    const table = new OidTable();
    const a = id(1);
    const b = a.slice();
    b[19] ^= 1;
    table.mark(a, 0, 1);
    expect(table.flagsOf(b, 0)).toBe(0);
    table.mark(b, 0, 2);
    expect([table.flagsOf(a, 0), table.flagsOf(b, 0), table.size]).toEqual([1, 2, 2]);
  });
});
