import { describe, expect, it } from "vitest";
import { applyDelta, deltaResultSize } from "../../../durable/pack/delta";

const text = (s: string) => new TextEncoder().encode(s);

describe("applyDelta", () => {
  const base = text("hello, world");
  // base size 12, result size 11; copy offset 0 size 5 ("hello"); insert 6 bytes " there"
  const delta = new Uint8Array([12, 11, 0x90, 5, 6, ...text(" there")]);

  it("copies from the base and inserts literal bytes", () => {
    expect(new TextDecoder().decode(applyDelta(base, delta))).toBe("hello there");
    expect(deltaResultSize(delta)).toBe(11);
  });

  it("treats a copy size of 0 as 65536", () => {
    const big = new Uint8Array(70000).map((_, i) => i & 0xff);
    // sizes as varints: 70000 = 0xf0 0xa2 0x04; result 65536 = 0x80 0x80 0x04; copy offset 0, no size bytes
    const d = new Uint8Array([0xf0, 0xa2, 0x04, 0x80, 0x80, 0x04, 0x80]);
    expect(applyDelta(big, d)).toEqual(big.subarray(0, 65536));
  });

  it("rejects a delta made for another base", () => {
    expect(() => applyDelta(text("short"), delta)).toThrow(/base size/);
  });

  it("rejects copies outside the base and the reserved opcode", () => {
    expect(() => applyDelta(base, new Uint8Array([12, 5, 0x91, 10, 5]))).toThrow(/out of bounds/);
    expect(() => applyDelta(base, new Uint8Array([12, 1, 0]))).toThrow(/reserved/);
  });

  it("rejects a delta that produces the wrong size", () => {
    expect(() => applyDelta(base, new Uint8Array([12, 9, 0x90, 5]))).toThrow(/produced 5 bytes/);
  });
});
