import { describe, expect, it } from "vitest";
import { encodeEntryHeader, encodeOfsDistance, parseEntryHeader } from "../../../durable/pack/entry";
import { OBJ_BLOB, OBJ_OFS_DELTA, OBJ_REF_DELTA } from "../../../durable/pack/types";

describe("pack entry headers", () => {
  it("encodes type and size as git does", () => {
    // blob of 10 bytes: type 3 in bits 4-6, size in the low nibble, no continuation.
    expect([...encodeEntryHeader(OBJ_BLOB, 10)]).toEqual([0x3a]);
    // blob of 100 bytes: 100 = 0x64 -> low nibble 4 with continuation, then 100 >> 4 = 6.
    expect([...encodeEntryHeader(OBJ_BLOB, 100)]).toEqual([0xb4, 0x06]);
  });

  it("round-trips sizes up to large values", () => {
    for (const size of [0, 15, 16, 127, 128, 65535, 1 << 24, 2 ** 32 + 5]) {
      const h = parseEntryHeader(encodeEntryHeader(OBJ_BLOB, size), 0)!;
      expect(h).toMatchObject({ type: OBJ_BLOB, size });
    }
  });

  it("round-trips OFS_DELTA distances", () => {
    for (const distance of [1, 127, 128, 16511, 16512, 2 ** 30]) {
      const bytes = new Uint8Array([...encodeEntryHeader(OBJ_OFS_DELTA, 5), ...encodeOfsDistance(distance)]);
      expect(parseEntryHeader(bytes, 0)).toMatchObject({ type: OBJ_OFS_DELTA, size: 5, baseDistance: distance, headerLength: bytes.length });
    }
  });

  it("reads a REF_DELTA base id", () => {
    const bytes = new Uint8Array([...encodeEntryHeader(OBJ_REF_DELTA, 3), ...new Array(20).fill(0xab)]);
    expect(parseEntryHeader(bytes, 0)).toMatchObject({ baseOid: "ab".repeat(20), headerLength: 21 });
  });

  it("asks for more bytes when the header is cut short", () => {
    expect(parseEntryHeader(new Uint8Array([0xb4]), 0)).toBeNull();
    expect(parseEntryHeader(new Uint8Array([0x73]), 0)).toBeNull(); // REF_DELTA without its base id
    expect(parseEntryHeader(new Uint8Array([0x63, 0x80]), 0)).toBeNull(); // OFS distance continues
  });

  it("rejects the reserved types 0 and 5", () => {
    expect(() => parseEntryHeader(new Uint8Array([0x05]), 0)).toThrow(/invalid pack entry type 0/);
    expect(() => parseEntryHeader(new Uint8Array([0x55]), 0)).toThrow(/invalid pack entry type 5/);
  });
});
