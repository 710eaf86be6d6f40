import { describe, expect, it } from "vitest";
import { hexToBytes } from "../../../durable/pack/hex";
import { SendSet } from "../../../durable/walk/send-set";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "0123456789abcdef0123456789abcdef01234567";

describe("SendSet", () => {
  it("counts each sent object once, by hex id or by bytes", () => {
    const set = new SendSet();
    set.add(A);
    set.add(A);
    const bytes = new Uint8Array([9, ...hexToBytes(B)]);
    set.addAt(bytes, 1);
    set.addAt(bytes, 1);
    expect(set.count).toBe(2);
    expect(set.has(A) && set.has(B)).toBe(true);
    expect(set.has(C)).toBe(false);
    expect(set.oids().sort()).toEqual([A, B]);
  });

  it("sees excluded objects without sending them", () => {
    const set = new SendSet();
    set.exclude(C);
    expect(set.seen(C)).toBe(true);
    expect(set.seenAt(hexToBytes(C), 0)).toBe(true);
    expect(set.has(C)).toBe(false);
    expect(set.count).toBe(0);
    expect(set.pack(C)).toBe(false);
  });

  it("tells excluded objects from filtered ones: both are seen, only excluded ones are the client's", () => {
    const set = new SendSet();
    set.exclude(A);
    set.filter(B);
    expect([set.seen(A), set.seen(B)]).toEqual([true, true]);
    expect([set.excluded(A), set.excluded(B)]).toEqual([true, false]);
    expect([set.has(A), set.has(B)]).toEqual([false, false]);
    set.add(B);
    expect([set.has(B), set.count]).toEqual([true, 1]);
  });

  it("remembers where objects were written, up to a 4 GiB offset", () => {
    const set = new SendSet();
    set.add(A);
    set.add(B);
    set.add(C);
    expect(set.offsetOf(A)).toBeUndefined();
    set.wrote(A, 12);
    set.wrote(B, 2 ** 32 + 5);
    expect(set.offsetOf(A)).toBe(12);
    expect(set.offsetOf(B)).toBeUndefined();
    expect(set.offsetOf(C)).toBeUndefined();
  });

  it("packs each sent object once and knows which are left", () => {
    const set = new SendSet();
    set.add(A);
    set.add(B);
    expect(set.pack(A)).toBe(true);
    expect(set.pack(A)).toBe(false);
    expect(set.pack(C)).toBe(false);
    expect(set.allPacked()).toBe(false);
    expect(set.oids(false)).toEqual([B]);
    expect(set.pack(B)).toBe(true);
    expect(set.allPacked()).toBe(true);
  });
});
