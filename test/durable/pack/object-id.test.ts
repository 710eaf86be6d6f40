import { describe, expect, it } from "vitest";
import { headerLength, objectId } from "../../../durable/pack/object-id";
import { OBJ_BLOB, OBJ_TREE } from "../../../durable/pack/types";

const text = (s: string) => new TextEncoder().encode(s);

describe("object ids", () => {
  it("match git's ids (git hash-object)", async () => {
    expect(await objectId(OBJ_BLOB, new Uint8Array(0))).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    expect(await objectId(OBJ_BLOB, text("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(await objectId(OBJ_TREE, new Uint8Array(0))).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  });

  it("counts the header's bytes", () => {
    expect(headerLength(OBJ_BLOB, 0)).toBe("blob 0\0".length);
    expect(headerLength(OBJ_BLOB, 9)).toBe("blob 9\0".length);
    expect(headerLength(OBJ_BLOB, 10)).toBe("blob 10\0".length);
    expect(headerLength(OBJ_TREE, 1234567)).toBe("tree 1234567\0".length);
  });

  it("writes the header in the room before the content, and only there", async () => {
    const lead = headerLength(OBJ_BLOB, 6);
    const buf = new Uint8Array(3 + lead + 6 + 2).fill(0xee);
    buf.set(text("hello\n"), 3 + lead);
    expect(await objectId(OBJ_BLOB, buf.subarray(3 + lead, 3 + lead + 6))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect([...buf.subarray(0, 3), ...buf.subarray(3 + lead + 6)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]);
    expect(new TextDecoder().decode(buf.subarray(3, 3 + lead))).toBe("blob 6\0");
  });

  it("copies content that has no room before it, leaving it as it was", async () => {
    const buf = text("xhello\n");
    expect(await objectId(OBJ_BLOB, buf.subarray(1))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(new TextDecoder().decode(buf)).toBe("xhello\n");
  });
});
