import { describe, expect, it } from "vitest";
import { BaseRing } from "../../../durable/pack/base-ring";

/** Writes an object of `size` bytes, all `fill`, into the ring's room and keeps it as entry `entry`. */
function put(ring: BaseRing, entry: number, size: number, fill: number): Uint8Array {
  const data = ring.room(size).subarray(0, size).fill(fill);
  ring.keep(entry, { type: 3, data });
  return data;
}

describe("BaseRing", () => {
  it("returns kept objects until the ring has been written round", () => {
    const ring = new BaseRing(1000);
    for (let i = 0; i < 5; i++) put(ring, i, 100, i + 1);
    expect(ring.get(0)?.data).toEqual(new Uint8Array(100).fill(1));
    expect(ring.get(4)).toEqual({ type: 3, data: new Uint8Array(100).fill(5) });
    for (let i = 5; i < 20; i++) put(ring, i, 100, i + 1);
    expect(ring.get(10)).toBeNull();
    expect(ring.get(19)?.data).toEqual(new Uint8Array(100).fill(20));
    expect(ring.get(50)).toBeNull();
  });

  it("moves an object read in the older half to the front, so a used base outlives the rest", () => {
    const ring = new BaseRing(1000);
    put(ring, 0, 100, 7);
    for (let i = 1; i < 40; i++) {
      put(ring, i, 100, i);
      expect(ring.get(0)?.data).toEqual(new Uint8Array(100).fill(7));
    }
    expect(ring.get(1)).toBeNull();
  });

  it("keeps an object written after room left for its header, and the next one after it", () => {
    const ring = new BaseRing(1000);
    for (let i = 0; i < 30; i++) {
      const data = ring.room(7 + 50).subarray(7, 57).fill(i + 1);
      ring.keep(i, { type: 3, data });
      expect(ring.get(i)?.data).toEqual(new Uint8Array(50).fill(i + 1));
      if (i > 0) expect(ring.get(i - 1)?.data).toEqual(new Uint8Array(50).fill(i));
    }
  });

  it("keeps objects from outside the pack under negative keys, apart from the entries", () => {
    const ring = new BaseRing(1000, 4);
    put(ring, 0, 100, 1);
    put(ring, -1, 100, 2);
    put(ring, -1_000_000, 10, 3);
    expect(ring.get(0)?.data).toEqual(new Uint8Array(100).fill(1));
    expect(ring.get(-1)?.data).toEqual(new Uint8Array(100).fill(2));
    expect(ring.get(-1_000_000)?.data).toEqual(new Uint8Array(10).fill(3));
    expect(ring.get(1)).toBeNull();
    expect(ring.get(-2)).toBeNull();
  });

  it("gives objects over a quarter of the ring their own array and does not keep them", () => {
    const ring = new BaseRing(1000);
    const big = put(ring, 0, ring.maxObject + 1, 9);
    expect(big.buffer.byteLength).toBe(ring.maxObject + 2);
    expect(ring.get(0)).toBeNull();
  });

  it("never hands out an object the next reservation writes over, when objects skip the buffer's tail", () => {
    const ring = new BaseRing(1000);
    for (let i = 0; i < 200; i++) {
      const size = 37 + ((i * 53) % 200);
      put(ring, i, size, i & 0xff);
      for (let j = Math.max(0, i - 10); j <= i; j++) {
        const got = ring.get(j);
        if (got) expect(got.data.every((b) => b === (j & 0xff))).toBe(true);
      }
    }
  });
});
