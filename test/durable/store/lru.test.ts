// The byte-bounded cache (durable/store/lru.ts): it never holds more than its budget, keeps what was
// used lately, and passes over values too big to keep.
import { describe, expect, it } from "vitest";
import { ByteLru } from "../../../durable/store/lru";

describe("ByteLru", () => {
  it("holds at most its budget, dropping the least recently used first", () => {
    const cache = new ByteLru<number>(100);
    for (let i = 0; i < 1000; i++) {
      cache.set(`k${i}`, i, 10);
      expect(cache.get(`k${i}`)).toBe(i);
    }
    const kept = Array.from({ length: 1000 }, (_, i) => cache.get(`k${i}`)).filter((v) => v !== undefined);
    expect(kept.length * 10).toBeLessThanOrEqual(100);
    expect(kept).toContain(999);
    expect(cache.get("k0")).toBeUndefined();
  });

  it("keeps a value that is read again while newer ones arrive", () => {
    const cache = new ByteLru<string>(100);
    cache.set("hot", "h", 10);
    for (let i = 0; i < 50; i++) {
      cache.set(`cold${i}`, "c", 10);
      expect(cache.get("hot")).toBe("h");
    }
  });

  it("replaces a key's value and counts only its new size", () => {
    const cache = new ByteLru<string>(100);
    cache.set("a", "first", 20);
    cache.set("a", "second", 20);
    expect(cache.get("a")).toBe("second");
    cache.set("b", "b", 25);
    expect(cache.get("a")).toBe("second");
  });

  it("does not keep a value over a quarter of its budget, and forgets everything on clear", () => {
    const cache = new ByteLru<string>(100);
    cache.set("big", "x", 26);
    expect(cache.get("big")).toBeUndefined();
    cache.set("small", "y", 5);
    cache.clear();
    expect(cache.get("small")).toBeUndefined();
  });
});
